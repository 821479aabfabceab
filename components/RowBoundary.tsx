import { Component, type ComponentChildren } from 'preact';
import { failedRow, type RowFacts } from './KeyRow';

interface Props {
  /** The row's facts: its label and contract attributes stay when it cannot be drawn. */
  row: RowFacts;
  children: ComponentChildren;
}

/**
 * One key's row that throws while drawing (a gateway's hostile figure, a stored reading
 * from before a fix) shows as that key's failure, with its label: never the popup blank
 * and the other rows gone. A new status for the key gives the row another try.
 */
export class RowBoundary extends Component<Props, { failedOn?: { status: RowFacts['status'] } }> {
  override componentDidCatch(error: unknown) {
    console.error(error);
    this.setState({ failedOn: { status: this.props.row.status } });
  }
  render() {
    const failed = this.state.failedOn;
    return failed && failed.status === this.props.row.status ? failedRow(this.props.row) : this.props.children;
  }
}
