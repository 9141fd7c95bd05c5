/** A number typed into the Align view's forms: kept as typed, handed on as a number (NaN when it is not one), the problem shown under it. */
import { useState } from 'react';
import { typedNumber } from './alignSettings';

export function NumberField({ label, value, onChange, testId, problem, hint }: {
  label: string;
  value: number;
  onChange(value: number): void;
  testId: string;
  /** The message when this field is the one at fault. */
  problem?: string | null;
  hint?: string;
}) {
  const [text, setText] = useState(Number.isFinite(value) ? String(value) : '');
  return (
    <label className="align-field">
      {label}
      <input
        type="text"
        inputMode="decimal"
        value={text}
        data-testid={testId}
        aria-invalid={problem ? 'true' : undefined}
        onChange={(e) => {
          setText(e.target.value);
          onChange(typedNumber(e.target.value));
        }}
      />
      {problem ? <span className="field-error" data-testid={`${testId}-error`}>{problem}</span> : hint ? <span className="muted">{hint}</span> : null}
    </label>
  );
}
