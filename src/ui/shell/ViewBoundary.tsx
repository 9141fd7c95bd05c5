/** An error boundary around one view: its failure is named there, logged, and the rest of the app keeps working. */
import { Component, type ReactNode } from 'react';
import type { View } from '../store/uiSlice';

interface Props {
  view: View;
  onCrash(view: View, error: Error): void;
  onLeave(): void;
  children: ReactNode;
}

export class ViewBoundary extends Component<Props, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error) {
    this.props.onCrash(this.props.view, error);
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="view-error" role="alert" data-testid="view-error">
        <p><strong>{error.name}</strong>: {error.message}</p>
        <p className="muted">This view stopped; your library, pairs and settings are kept, and a reload opens the Library.</p>
        <button type="button" onClick={this.props.onLeave}>Back to the Library</button>
      </div>
    );
  }
}
