import type { ComponentType, FunctionComponent } from 'preact';

const sameProps = (a: Record<string, unknown>, b: Record<string, unknown>) => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.is(a[key], b[key]));
};

/** Preact asks this of a component before re-rendering it; shared by every memoised instance. */
function changed(this: { props: Record<string, unknown> }, next: Record<string, unknown>): boolean {
  return !sameProps(this.props, next);
}

/**
 * A component that re-renders only when a prop changes (shallow), like React's memo,
 * without pulling preact/compat into the popup. The wrapped function renders inside
 * the one component (its hooks are that component's): one instance per row, not two.
 */
export function memo<P extends object>(component: FunctionComponent<P>): ComponentType<P> {
  function Memoised(this: { shouldComponentUpdate?: unknown }, props: P) {
    // Set once, before the first render: the hooks of `component` then wrap it, so a
    // row's own state (its details opening) still re-renders it. Set again on a later
    // render, it would drop that wrapper and ignore the row's state.
    this.shouldComponentUpdate ??= changed;
    return component(props);
  }
  Memoised.displayName = `Memo(${component.displayName ?? component.name})`;
  return Memoised as unknown as ComponentType<P>;
}
