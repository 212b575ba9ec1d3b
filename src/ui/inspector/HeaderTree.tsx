// The header tree: outer -> inner, one collapsible block per layer, every field with its
// value, its short meaning and (when a topology is known) what it means here.
import { useEffect, useRef, useState } from 'react';
import type { DecodedFrame, FieldNode } from '../../engine/wire/types';
import { bitString, bitValueText, wiresharkBitLine } from './bits';
import { layerColor } from './layerColors';
import { fieldId, type LayerScope, layerScopes } from './model';

interface HeaderTreeProps {
  frame: DecodedFrame;
  /** The frame's bytes: bit fields show the values of their bits, as Wireshark does. */
  bytes: Uint8Array;
  annotations: ReadonlyMap<string, string>;
  changed: ReadonlySet<string>;
  highlightedId: string | null;
  selectedId: string | null;
  /** Scroll the highlighted row into view (when the hover came from the hex dump). */
  follow: boolean;
  vsidColor?: string;
  onHover(id: string | null): void;
  onSelect(id: string): void;
  onHoverLayer(index: number | null): void;
}

const SCOPE_TITLE: Record<LayerScope, string> = {
  outer: 'Outer: the PA envelope (what the physical network sees)',
  inner: 'Inner: the CA frame (what the VM sent)',
  plain: '',
};

export function HeaderTree(props: HeaderTreeProps) {
  const { frame, vsidColor } = props;
  const scopes = layerScopes(frame);
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(new Set());
  const toggle = (i: number) => {
    const next = new Set(collapsed);
    if (next.has(i)) next.delete(i);
    else next.add(i);
    setCollapsed(next);
  };
  return (
    <div className="text-[12px]" data-testid="header-tree">
      {frame.layers.map((layer, li) => {
        const color = layerColor(layer.protocol);
        const open = !collapsed.has(li);
        const firstOfScope = li === 0 || scopes[li - 1] !== scopes[li];
        return (
          <div key={`${layer.start}-${layer.protocol}`} data-layer-index={li} data-layer={layer.protocol}>
            {/* inner layers are indented: the CA frame sits inside the envelope */}
            {firstOfScope && scopes[li] !== 'plain' && (
              <div
                className={`mt-1 flex items-center gap-2 px-1 pt-1 pb-0.5 text-[10px] font-semibold uppercase tracking-wide ${
                  scopes[li] === 'outer' ? 'text-slate-500' : 'text-slate-600 dark:text-slate-300'
                }`}
              >
                {scopes[li] === 'inner' && vsidColor && (
                  <span
                    className="inline-block h-2 w-2 rounded-full"
                    style={{ backgroundColor: vsidColor }}
                  />
                )}
                {SCOPE_TITLE[scopes[li]]}
              </div>
            )}
            <button
              type="button"
              onClick={() => toggle(li)}
              onMouseEnter={() => props.onHoverLayer(li)}
              onMouseLeave={() => props.onHoverLayer(null)}
              className="flex w-full items-center gap-2 rounded px-1 py-0.5 text-left font-semibold hover:bg-slate-100 dark:hover:bg-slate-800"
              style={{
                borderLeft: `3px solid ${color}`,
                marginLeft: scopes[li] === 'inner' ? 10 : 0,
                width: scopes[li] === 'inner' ? 'calc(100% - 10px)' : undefined,
              }}
            >
              <span className="w-3 text-slate-400">{open ? '▾' : '▸'}</span>
              <span style={{ color }}>{layer.title}</span>
              <span className="ml-auto font-normal text-slate-400">
                {layer.headerLength} B · {layer.start}–{layer.start + layer.headerLength - 1}
              </span>
            </button>
            {open && (
              <div style={{ marginLeft: scopes[li] === 'inner' ? 10 : 0 }}>
                {layer.fields.map((node, i) => (
                  <FieldRow
                    key={fieldId(li, [i])}
                    {...props}
                    node={node}
                    layerIndex={li}
                    path={[i]}
                    depth={0}
                  />
                ))}
              </div>
            )}
          </div>
        );
      })}
      {frame.issues.length > 0 && (
        <div className="mt-2 space-y-0.5 px-1" data-testid="decode-issues">
          {frame.issues.map((issue) => (
            <div
              key={`${issue.code}-${issue.start}`}
              className={issue.severity === 'error' ? 'text-rose-600' : 'text-amber-600'}
            >
              {issue.severity === 'error' ? '✖' : '⚠'} {issue.message}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

/** The nearest ancestor that scrolls vertically (the inspector's tree pane). */
function scrollParent(element: HTMLElement): HTMLElement | null {
  for (let parent = element.parentElement; parent; parent = parent.parentElement) {
    const { overflowY } = getComputedStyle(parent);
    if (overflowY === 'auto' || overflowY === 'scroll') return parent;
  }
  return null;
}

/**
 * Scroll a field row into view. Scrolling up would put the row at the very top and leave
 * its layer's heading cut off above it, so the distance to the heading is kept as a scroll
 * margin whenever the heading and the row fit in the pane together.
 */
function scrollToField(row: HTMLElement) {
  const layer = row.closest<HTMLElement>('[data-layer-index]');
  const pane = scrollParent(row);
  const above = layer ? row.getBoundingClientRect().top - layer.getBoundingClientRect().top : 0;
  const fits = pane !== null && above + row.offsetHeight <= pane.clientHeight;
  row.style.scrollMarginTop = fits ? `${above}px` : '';
  row.scrollIntoView({ block: 'nearest' });
}

interface FieldRowProps extends HeaderTreeProps {
  node: FieldNode;
  parent?: FieldNode;
  layerIndex: number;
  path: number[];
  depth: number;
}

function FieldRow(props: FieldRowProps) {
  const {
    node,
    parent,
    bytes,
    layerIndex,
    path,
    depth,
    annotations,
    changed,
    highlightedId,
    selectedId,
    follow,
  } = props;
  const id = fieldId(layerIndex, path);
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const highlighted = highlightedId === id;
  const selected = selectedId === id;
  const note = annotations.get(id);
  const bits = bitString(bytes, node, parent);
  const value = bits === null ? node.display : bitValueText(bytes, node);
  const hasChildren = Boolean(node.children?.length);
  // Derived rows that teach (NVGRE VSID/FlowID) are worth showing unfolded.
  const childrenOpen = open || Boolean(node.children?.some((c) => c.key.startsWith('nvgre.')));
  useEffect(() => {
    const row = ref.current;
    if (highlighted && follow && row) scrollToField(row);
  }, [highlighted, follow]);
  return (
    <>
      <div
        ref={ref}
        data-field-key={node.key}
        data-field-id={id}
        data-highlighted={highlighted ? 'true' : undefined}
        data-selected={selected ? 'true' : undefined}
        data-changed={changed.has(id) ? 'true' : undefined}
        onMouseEnter={() => props.onHover(id)}
        onMouseLeave={() => props.onHover(null)}
        onClick={() => props.onSelect(id)}
        title={bits === null ? undefined : (wiresharkBitLine(bytes, node, parent) ?? undefined)}
        className={`grid cursor-pointer grid-cols-[minmax(6rem,9.5rem)_minmax(8.5rem,10rem)_minmax(4rem,1fr)] items-baseline gap-x-2 rounded py-[1px] pr-1 ${
          highlighted
            ? 'bg-amber-200/80 dark:bg-amber-400/30'
            : selected
              ? 'bg-sky-100 dark:bg-sky-900/40'
              : 'hover:bg-slate-100 dark:hover:bg-slate-800'
        }`}
        style={{ paddingLeft: 20 + depth * 14 }}
      >
        <span
          className="flex items-baseline gap-1 truncate text-slate-600 dark:text-slate-300"
          title={node.key}
        >
          {hasChildren ? (
            <button
              type="button"
              className="w-3 text-slate-400"
              onClick={(e) => {
                e.stopPropagation();
                setOpen(!childrenOpen);
              }}
            >
              {childrenOpen ? '▾' : '▸'}
            </button>
          ) : (
            <span className="w-3" />
          )}
          <span className="truncate">{node.label}</span>
        </span>
        <span
          title={bits === null ? value : `${bits} = ${value}`}
          className={`truncate font-mono whitespace-nowrap ${
            changed.has(id)
              ? 'rounded bg-rose-100 px-1 text-rose-700 dark:bg-rose-900/50 dark:text-rose-200'
              : ''
          }`}
        >
          {bits !== null && (
            // Wireshark's notation: the field's bits with their values, then the value.
            <span className="text-[11px] text-slate-500 dark:text-slate-400" data-bits>
              {bits} ={' '}
            </span>
          )}
          {value}
        </span>
        <span className="min-w-0 truncate text-slate-500 dark:text-slate-400" title={node.meaning}>
          {highlighted || selected ? '' : (node.meaning ?? '')}
        </span>
        {(highlighted || selected) && node.meaning && (
          <span className="col-span-3 pl-4 text-slate-600 dark:text-slate-300">{node.meaning}</span>
        )}
        {note && (
          <span className="col-span-3 pl-4 font-medium text-teal-700 dark:text-teal-300" data-annotation>
            ↳ {note}
          </span>
        )}
      </div>
      {hasChildren &&
        childrenOpen &&
        node.children?.map((child, i) => (
          <FieldRow
            key={fieldId(layerIndex, [...path, i])}
            {...props}
            node={child}
            parent={node}
            path={[...path, i]}
            depth={depth + 1}
          />
        ))}
    </>
  );
}
