// Form controls for the properties panel. Text is committed as the user types (one
// undo step per field while typing); numbers commit once they parse. Engine
// validation messages show under the field they name.
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import type { FieldError } from '../store/document';

const inputClass =
  'w-full min-w-0 rounded border border-slate-300 bg-white px-2 py-1 text-[13px] text-slate-900 outline-none transition focus:border-sky-500 focus:ring-2 focus:ring-sky-500/25 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100';
const invalidClass = '!border-red-500 focus:!ring-red-500/25';

/** One item of an editable list (a rule, a probe, a route): bordered, red while it has errors, listed under its fields. */
export function EditRow({ errors, children }: { errors: FieldError[]; children: ReactNode }) {
  return (
    <li
      className={`rounded border p-1.5 text-[12px] ${errors.length ? 'border-red-400' : 'border-slate-200 dark:border-slate-700'}`}
    >
      {children}
      <FieldErrors errors={errors} />
    </li>
  );
}

export function FieldErrors({ errors }: { errors: FieldError[] }) {
  if (errors.length === 0) return null;
  return (
    <ul className="mt-1 flex flex-col gap-0.5">
      {errors.map((e) => (
        <li
          key={`${e.rule}-${e.field}-${e.message}`}
          role="alert"
          className="text-[11px] leading-snug text-red-600 dark:text-red-400"
        >
          {e.message}
        </li>
      ))}
    </ul>
  );
}

function Row({
  label,
  htmlFor,
  children,
  errors,
}: {
  label: string;
  htmlFor: string;
  children: React.ReactNode;
  errors: FieldError[];
}) {
  return (
    <div className="grid grid-cols-[96px_1fr] items-start gap-x-2 py-1">
      <label htmlFor={htmlFor} className="pt-1.5 text-[12px] text-slate-500 dark:text-slate-400">
        {label}
      </label>
      <div className="min-w-0">
        {children}
        <FieldErrors errors={errors} />
      </div>
    </div>
  );
}

/** Keeps a local draft while the input has focus, so re-renders never fight the caret. */
export function useDraft(
  value: string,
): [string, (v: string) => void, { onFocus: () => void; onBlur: () => void }] {
  const [draft, setDraft] = useState(value);
  const focused = useRef(false);
  useEffect(() => {
    if (!focused.current) setDraft(value);
  }, [value]);
  return [
    draft,
    setDraft,
    {
      onFocus: () => {
        focused.current = true;
      },
      onBlur: () => {
        focused.current = false;
        setDraft(value);
      },
    },
  ];
}

export function TextField({
  label,
  value,
  onChange,
  errors = [],
  mono = false,
  placeholder,
  ariaLabel,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  errors?: FieldError[];
  mono?: boolean;
  placeholder?: string;
  ariaLabel?: string;
}) {
  const id = useId();
  const [draft, setDraft, focus] = useDraft(value);
  return (
    <Row label={label} htmlFor={id} errors={errors}>
      <input
        id={id}
        aria-label={ariaLabel ?? label}
        aria-invalid={errors.length > 0}
        className={`${inputClass} ${mono ? 'font-mono' : ''} ${errors.length > 0 ? invalidClass : ''}`}
        value={draft}
        placeholder={placeholder}
        spellCheck={false}
        onChange={(e) => {
          setDraft(e.target.value);
          onChange(e.target.value);
        }}
        {...focus}
      />
    </Row>
  );
}

export function NumberField({
  label,
  value,
  onChange,
  errors = [],
  ariaLabel,
}: {
  label: string;
  value: number;
  onChange: (value: number) => void;
  errors?: FieldError[];
  ariaLabel?: string;
}) {
  const id = useId();
  const [draft, setDraft, focus] = useDraft(String(value));
  const parses = /^\d+$/.test(draft.trim());
  const local: FieldError[] = parses
    ? []
    : [{ objectKind: '', field: '', rule: 'number', message: 'Type a whole number.' }];
  const shown = [...local, ...errors];
  return (
    <Row label={label} htmlFor={id} errors={shown}>
      <input
        id={id}
        aria-label={ariaLabel ?? label}
        aria-invalid={shown.length > 0}
        inputMode="numeric"
        className={`${inputClass} font-mono ${shown.length > 0 ? invalidClass : ''}`}
        value={draft}
        onChange={(e) => {
          setDraft(e.target.value);
          if (/^\d+$/.test(e.target.value.trim())) onChange(Number(e.target.value.trim()));
        }}
        {...focus}
      />
    </Row>
  );
}

export function SelectField({
  label,
  value,
  options,
  onChange,
  errors = [],
  ariaLabel,
}: {
  label: string;
  value: string;
  options: { value: string; label: string }[];
  onChange: (value: string) => void;
  errors?: FieldError[];
  ariaLabel?: string;
}) {
  const id = useId();
  const known = options.some((o) => o.value === value);
  return (
    <Row label={label} htmlFor={id} errors={errors}>
      <select
        id={id}
        aria-label={ariaLabel ?? label}
        className={`${inputClass} ${errors.length > 0 ? invalidClass : ''}`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      >
        {known ? null : <option value={value}>{value ? `(missing: ${value})` : '—'}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Row>
  );
}

/** An on/off setting: a checkbox with its label in the label column and a short hint. */
export function ToggleField({
  label,
  ariaLabel,
  hint,
  checked,
  onChange,
}: {
  label: string;
  ariaLabel?: string;
  hint?: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <label className="grid grid-cols-[96px_1fr] items-center gap-x-2 py-1">
      <span className="text-[12px] text-slate-500 dark:text-slate-400">{label}</span>
      <span className="flex items-center gap-2 text-[12px] text-slate-600 dark:text-slate-300">
        <input
          type="checkbox"
          aria-label={ariaLabel ?? label}
          checked={checked}
          onChange={(e) => onChange(e.target.checked)}
          className="h-3.5 w-3.5 accent-sky-600"
        />
        {hint}
      </span>
    </label>
  );
}

export function Segmented<T extends string>({
  label,
  value,
  options,
  onChange,
  errors = [],
}: {
  label: string;
  value: T;
  options: { value: T; label: string }[];
  onChange: (value: T) => void;
  errors?: FieldError[];
}) {
  return (
    <div className="grid grid-cols-[96px_1fr] items-center gap-x-2 py-1">
      <span className="text-[12px] text-slate-500 dark:text-slate-400">{label}</span>
      <div
        role="toolbar"
        aria-label={label}
        className="flex w-fit rounded border border-slate-300 p-0.5 dark:border-slate-600"
      >
        {options.map((o) => (
          <button
            key={o.value}
            type="button"
            aria-pressed={o.value === value}
            onClick={() => onChange(o.value)}
            className={`rounded px-2.5 py-0.5 text-[12px] font-medium ${
              o.value === value
                ? 'bg-sky-600 text-white'
                : 'text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-700'
            }`}
          >
            {o.label}
          </button>
        ))}
      </div>
      {errors.length > 0 ? (
        <div className="col-start-2">
          <FieldErrors errors={errors} />
        </div>
      ) : null}
    </div>
  );
}

/** A compact input for tables (ACL rules, router interfaces). */
export function CellInput({
  value,
  onChange,
  ariaLabel,
  invalid = false,
  width = 'w-full',
}: {
  value: string;
  onChange: (value: string) => void;
  ariaLabel: string;
  invalid?: boolean;
  width?: string;
}) {
  const [draft, setDraft, focus] = useDraft(value);
  return (
    <input
      aria-label={ariaLabel}
      aria-invalid={invalid}
      className={`${inputClass} ${width} !px-1 !py-0.5 font-mono !text-[12px] ${invalid ? invalidClass : ''}`}
      value={draft}
      spellCheck={false}
      onChange={(e) => {
        setDraft(e.target.value);
        onChange(e.target.value);
      }}
      {...focus}
    />
  );
}

export function Section({
  title,
  children,
  actions,
}: {
  title: string;
  children: React.ReactNode;
  actions?: React.ReactNode;
}) {
  return (
    <section className="border-t border-slate-200 px-3 py-2 dark:border-slate-700">
      <div className="mb-1 flex items-center justify-between">
        <h3 className="text-[11px] font-semibold uppercase tracking-wider text-slate-500 dark:text-slate-400">
          {title}
        </h3>
        {actions}
      </div>
      {children}
    </section>
  );
}

export function SmallButton({
  children,
  onClick,
  ariaLabel,
  tone = 'default',
}: {
  children: React.ReactNode;
  onClick: () => void;
  ariaLabel?: string;
  tone?: 'default' | 'danger';
}) {
  return (
    <button
      type="button"
      aria-label={ariaLabel}
      onClick={onClick}
      className={`rounded px-2 py-0.5 text-[12px] font-medium ${
        tone === 'danger'
          ? 'text-red-600 hover:bg-red-50 dark:text-red-400 dark:hover:bg-red-950'
          : 'text-sky-700 hover:bg-sky-50 dark:text-sky-400 dark:hover:bg-sky-950'
      }`}
    >
      {children}
    </button>
  );
}
