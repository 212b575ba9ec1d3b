export { Highlight } from './Highlight';
export { LessonDock, LessonsButton } from './LessonDock';
export { LessonPanel, useLessonFacts } from './LessonPanel';
export { useLessonStore } from './store';
export { findTarget, TOUR_TARGETS } from './targets';
