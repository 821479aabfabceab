import { type ComponentType, createElement, type FunctionComponent } from 'preact';

const sameProps = (a: Record<string, unknown>, b: Record<string, unknown>) => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.is(a[key], b[key]));
};

/**
 * A component that re-renders only when a prop changes (shallow), like React's memo,
 * without pulling preact/compat into the popup.
 */
export function memo<P extends object>(component: FunctionComponent<P>): ComponentType<P> {
  function Memoised(this: { props: P; shouldComponentUpdate?: (next: P) => boolean }, props: P) {
    this.shouldComponentUpdate = (next) => !sameProps(this.props as Record<string, unknown>, next as Record<string, unknown>);
    return createElement(component, props);
  }
  Memoised.displayName = `Memo(${component.displayName ?? component.name})`;
  return Memoised as unknown as ComponentType<P>;
}
