/** The Ask panel for one video: pick or type a question, see the model's answer, each option's log-probability and, for a demo video, the ground truth. */
import { Suspense, lazy, useEffect, useMemo, useState } from 'react';
import type { VideoRecord } from '../../library/videoRecord';
import { isDecodable } from '../../library/videoRecord';
import type { SynthCategory } from '../../synth';
import { FrameCanvas } from '../FrameCanvas';
import { timeLeft } from '../format';
import { keyHint, viewActions } from '../keyboard';
import { useWorkbench } from '../store';
import { sceneQuestions } from '../store/modelSlice';
import { someKnownWords } from './vocabulary';

const LogpChart = lazy(() => import('./LogpChart'));

const CATEGORY_LABELS: Record<SynthCategory, string> = { spatial: 'Spatial', temporal: 'Temporal', cross_frame: 'Cross-frame', general: 'General' };
const splitOptions = (text: string) => text.split(',').map((o) => o.trim().toLowerCase()).filter(Boolean);

export function ModelStatus() {
  const info = useWorkbench((s) => s.modelInfo);
  const progress = useWorkbench((s) => s.modelProgress);
  const error = useWorkbench((s) => s.modelError);
  const loadModel = useWorkbench((s) => s.loadModel);
  if (progress) {
    return (
      <div className="progress-row" data-testid="model-progress">
        <span>Model: {progress.stage}</span>
        <progress max={progress.total} value={progress.done} />
        <span>{progress.total > 1 ? `${Math.round((100 * progress.done) / progress.total)}%` : ''}{timeLeft(progress, performance.now())}</span>
      </div>
    );
  }
  if (error) {
    return (
      <p className="card-error" role="alert" data-testid="model-error">
        <strong>{error.name}</strong>: {error.message} <button type="button" onClick={() => void loadModel()}>Try again</button>
      </p>
    );
  }
  if (!info) return <p className="muted" data-testid="model-status">Model not loaded yet.</p>;
  return (
    <p className="muted" data-testid="model-status" data-provider={info.provider}>
      PASTA-tiny ({(info.parameters / 1e6).toFixed(2)}M parameters) on <strong>{info.provider}</strong> ({info.reason}); sees {info.frames} frames at {info.imageSize}×{info.imageSize}{info.adapter ? <>; adapter <strong data-testid="model-adapter">{info.adapter}</strong> merged</> : null}
    </p>
  );
}

export function AskPanel({ video }: { video: VideoRecord }) {
  const questions = useMemo(() => sceneQuestions(video.scene), [video.scene]);
  const [picked, setPicked] = useState(questions.length ? 0 : -1);
  const [question, setQuestion] = useState(questions[0]?.text ?? '');
  const [optionsText, setOptionsText] = useState(questions[0]?.options.join(', ') ?? '');
  const info = useWorkbench((s) => s.modelInfo);
  const running = useWorkbench((s) => (s.askRunning?.videoId === video.id ? s.askRunning : null));
  const answer = useWorkbench((s) => (s.askAnswer?.videoId === video.id ? s.askAnswer : null));
  const error = useWorkbench((s) => (s.askError?.videoId === video.id ? s.askError : null));
  const ask = useWorkbench((s) => s.ask);
  const loadModel = useWorkbench((s) => s.loadModel);
  const ready = isDecodable(video);

  useEffect(() => { void loadModel(); }, [loadModel]);

  const pick = (i: number) => {
    const q = questions[i];
    if (!q) return;
    setPicked(i);
    setQuestion(q.text);
    setOptionsText(q.options.join(', '));
    return q;
  };
  const run = (text = question, options = splitOptions(optionsText)) => {
    if (ready && text.trim()) void ask(video.id, text.trim(), options);
  };

  useEffect(() => {
    viewActions.stepQuestion = (direction) => {
      if (!questions.length) return;
      const i = (picked + direction + questions.length) % questions.length;
      const q = pick(i);
      if (q) run(q.text, q.options);
    };
    return () => { viewActions.stepQuestion = () => {}; };
  });

  const truthOf = questions.find((q) => q.text === answer?.question);
  return (
    <section className="ask-panel" aria-label="Ask the model" data-testid="ask-panel">
      <header className="detail-header">
        <h2 title={video.relativePath}>{video.name}</h2>
        {video.scene ? <span className="muted">synthetic scene {video.scene.split} #{video.scene.seed}</span> : null}
      </header>
      <ModelStatus />
      {!video.scene && (
        <p className="ask-notice" role="note" data-testid="ask-real-notice">
          <strong>This is not a synthetic video.</strong> The built-in model has only ever seen the synthetic world (coloured circles,
          squares and triangles moving on plain backgrounds) and knows only its {info ? info.vocabulary.length : 'few dozen'} words,
          so its answers about this video will be poor. Use it to try the panel, not to judge the video.
        </p>
      )}
      {!ready && <p className="muted">{video.status === 'error' ? 'This video cannot be decoded.' : 'Probing…'}</p>}

      <div className="ask-form">
        {questions.length > 0 && (
          <label>
            Question about the scene ({questions.length}, with ground truth)
            <select value={picked} data-testid="ask-question-select" onChange={(e) => pick(Number(e.target.value))}>
              {(['spatial', 'temporal', 'cross_frame', 'general'] as const).map((c) => (
                <optgroup key={c} label={CATEGORY_LABELS[c]}>
                  {questions.map((q, i) => (q.category === c ? <option key={i} value={i}>{q.text}</option> : null))}
                </optgroup>
              ))}
            </select>
          </label>
        )}
        <label>
          {questions.length ? 'or type a question' : 'Question'}
          <input type="text" value={question} data-testid="ask-question-input" placeholder="is the red circle left of the blue square ?"
            onChange={(e) => { setQuestion(e.target.value); setPicked(-1); }}
            onKeyDown={(e) => { if (e.key === 'Enter') run(); }} />
        </label>
        <label>
          Options (comma-separated; each is scored)
          <input type="text" value={optionsText} data-testid="ask-options-input" placeholder="left, right"
            onChange={(e) => setOptionsText(e.target.value)}
            onKeyDown={(e) => { if (e.key === 'Enter') run(); }} />
        </label>
        <div className="ask-actions">
          <button type="button" className="primary" data-testid="ask-run" disabled={!ready || !question.trim() || !!running} onClick={() => run()}>Ask</button>
          {questions.length > 0 && <span className="muted">{keyHint('next-question')} · {keyHint('previous-question')}</span>}
          {running && <span className="muted" data-testid="ask-running">{running.stage}…</span>}
        </div>
      </div>

      {error && (
        <div className="card-error" role="alert" data-testid="ask-error" data-error={error.name}>
          <p><strong>{error.name}</strong>: {error.message}</p>
          {error.name === 'UnknownWordError' && info && (
            <p data-testid="ask-known-words">The model knows only the synthetic world's {info.vocabulary.length} words, such as {someKnownWords(info.vocabulary).join(', ')}.</p>
          )}
        </div>
      )}

      {answer && !error && (
        <div className="ask-result" data-testid="ask-result">
          <dl className="ask-answers">
            <dt>Question</dt><dd data-testid="ask-asked">{answer.question}</dd>
            <dt>Generated answer</dt><dd><strong data-testid="ask-generated">{answer.generated || '(nothing: the first word was <eos>)'}</strong>
              <span className="muted"> log p {answer.generatedLogps.reduce((a, b) => a + b, 0).toFixed(3)}</span></dd>
            {answer.choice !== null && <><dt>Most probable option</dt><dd data-testid="ask-choice">{answer.choice}</dd></>}
            {answer.truth !== null && (
              <><dt>Ground truth</dt><dd><strong data-testid="ask-truth">{answer.truth}</strong>{' '}
                <span className={`badge${answer.choice === answer.truth ? '' : ' visual'}`} data-testid="ask-verdict">{answer.choice === answer.truth ? 'model right' : 'model wrong'}</span>
                {truthOf ? <span className="muted"> ({CATEGORY_LABELS[truthOf.category]}, {truthOf.template})</span> : null}</dd></>
            )}
          </dl>
          {answer.options.length > 0 && (
            <div className="ask-scores">
              <Suspense fallback={<p className="muted">drawing the chart…</p>}>
                <LogpChart options={answer.options} logps={answer.logps} choice={answer.choice} truth={answer.truth} />
              </Suspense>
              <table className="ask-table" data-testid="ask-logps">
                <thead><tr><th>option</th><th>log p</th><th>p (renormalised)</th></tr></thead>
                <tbody>
                  {answer.options.map((o, i) => (
                    <tr key={o} data-testid="ask-option" data-option={o} data-logp={answer.logps[i]} className={o === answer.truth ? 'truth' : undefined}>
                      <td>{o}{o === answer.choice ? ' ◀' : ''}</td>
                      <td>{answer.logps[i].toFixed(3)}</td>
                      <td>{(Math.exp(answer.logps[i] - Math.max(...answer.logps)) / answer.logps.reduce((s, l) => s + Math.exp(l - Math.max(...answer.logps)), 0)).toFixed(3)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <figure className="ask-frames" data-testid="ask-frames">
            <figcaption className="muted">What the model saw: {answer.frames.length} frames sampled uniformly, shrunk to {answer.frames[0]?.width} px ({(answer.ms / 1000).toFixed(2)} s)</figcaption>
            <div className="ask-frame-row">{answer.frames.map((f, i) => <FrameCanvas key={i} frame={f} title={`frame ${i + 1}`} />)}</div>
          </figure>
        </div>
      )}
    </section>
  );
}
