// The goflow API as main.wasm registers it (wasm/main.go, wasm/playground),
// declared once; every module of the page uses these types. The shapes are
// the JSON the playground's AppendJSON methods write.

/** The numeric config keys. */
export type NumberKey =
  | "workers" | "jobBuffer" | "resultBuffer" | "workMs" | "jitterMs"
  | "failRate" | "panicRate" | "timeoutMs" | "consumerDelayMs" | "seed";
/** The boolean config keys: pipeline.Options.Ordered and FailFast. */
export type BooleanKey = "ordered" | "failFast";
/** The config keys, in the order the form and the URL list them. */
export type ConfigKey = NumberKey | BooleanKey;

/** One pipeline run's configuration (playground.Config). */
export type Config = Record<NumberKey, number> & Record<BooleanKey, boolean>;

/**
 * A config as the page passes it in: a key may be missing (it takes its
 * default) or hold the text typed when it is not a number, so that Go's
 * message names it.
 */
export type ConfigInput = Partial<Record<ConfigKey, number | string | boolean>>;

/**
 * The range of one setting (playground.Limit). A boolean key (ordered,
 * failFast) is {min: 0, max: 1, integer: true, boolean: true}.
 */
export interface Limit {
  min: number;
  max: number;
  /** whole numbers only */
  integer?: boolean;
  /** true or false, not a number */
  boolean?: boolean;
}

/** goflow.limits(): each config key's range, the submit bounds and the speed's range. */
export type Limits = Record<ConfigKey, Limit> & {
  maxBacklog: number;
  maxSubmit: number;
  speed: Limit;
};

/** goflow.parseQuery(search): the config from a URL query, one message per bad parameter. */
export interface ParsedQuery {
  config: Config;
  errors: string[];
}

export type Phase = "idle" | "running" | "closing" | "canceled" | "done";
export type WorkerState = "idle" | "busy" | "blocked" | "exited";

export interface Producer {
  /** jobs submitted and not yet sent, including one being sent */
  readonly backlog: number;
  /** in a send on the jobs channel */
  readonly blocked: boolean;
  readonly sent: number;
  /** it closed the jobs channel (and exited) */
  readonly closed: boolean;
  /** IDs of the first jobs of the backlog, at most 20 */
  readonly waiting: readonly string[];
}

/** The jobs channel or the results channel. */
export interface Channel {
  readonly len: number;
  readonly cap: number;
  /** the jobs (or results) in it, first out first */
  readonly ids: readonly string[];
  readonly closed: boolean;
}

export interface Worker {
  readonly id: number;
  readonly state: WorkerState;
  /** the job it runs or holds the result of; "" when idle or exited */
  readonly job: string;
  /** 0..1 of the job's simulated time; 1 once blocked */
  readonly progress: number;
  /** blocked waiting for its result's turn (ordered), until it is emitted or abandoned */
  readonly turn: boolean;
}

export interface Consumer {
  readonly paused: boolean;
  readonly consumed: number;
  /** ID of the last result taken; "" before */
  readonly last: string;
}

export interface Counters {
  readonly received: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly canceled: number;
  readonly emitted: number;
  /** pipeline.Stats.Dropped: received just as the context was cancelled, never taken; known once results closed */
  readonly dropped: number;
}
export type CounterKey = keyof Counters;

export interface Gauges {
  readonly busy: number;
  readonly queued: number;
  readonly pending: number;
}
export type GaugeKey = keyof Gauges;

export interface LogEntry {
  readonly seq: number;
  /** real milliseconds since the session started */
  readonly ms: number;
  readonly kind: string;
  readonly text: string;
}

/**
 * goflow.snapshot(): the whole state at one moment; the page draws nothing
 * else. Every field is readonly: drawing reads a snapshot and never changes it.
 */
export interface Snapshot {
  readonly phase: Phase;
  /** "close" or "cancel" once either was called; "" before */
  readonly ended: "" | "close" | "cancel";
  readonly config: Readonly<Config>;
  readonly speed: number;
  readonly producer: Producer;
  readonly jobs: Channel;
  readonly workers: readonly Worker[];
  readonly results: Channel;
  readonly consumer: Consumer;
  readonly counters: Counters;
  /** the pipeline's Err() once the results channel closed: "" before and after a drain; with failFast, the first failure's error */
  readonly err: string;
  readonly gauges: Gauges;
  readonly goroutines: number;
  readonly baselineGoroutines: number;
  /** the event log, oldest first, at most 200 entries */
  readonly log: readonly LogEntry[];
  /** the world is paused (goflow.pause()): simulated time stands still */
  readonly paused: boolean;
  /** the sequence number of the last event this moment includes */
  readonly seq: number;
}

/** One recorded event, as goflow.step() and goflow.events() return it. */
export interface RecordedEvent {
  readonly seq: number;
  /** simulated milliseconds since the session started */
  readonly ms: number;
  readonly kind: string;
  readonly worker: number;
  readonly job: number;
  readonly arg?: number;
  readonly speed?: number;
  /** the event in a sentence, as in "worker 2 took job-7" */
  readonly text: string;
}

/** goflow.history(): the sequence numbers of the first and last events kept. */
export interface History {
  readonly first: number;
  readonly last: number;
}

/** goflow.recording(): a plain JSON-able object that goflow.load() takes. */
export interface Recording {
  readonly version: number;
  readonly config: Readonly<Config>;
  readonly first: number;
  readonly base: unknown;
  readonly events: readonly (readonly number[])[];
}

/**
 * The global goflow: every function returns at once and throws an Error
 * whose message starts with its name when its input is wrong.
 */
export interface GoflowAPI {
  /** resolved once every function is registered */
  ready: Promise<void>;
  /** starts a pipeline; returns the full config with defaults filled in */
  start(config: ConfigInput): Config;
  /** the producer sends n more jobs; returns its backlog */
  submit(n: number): number;
  close(): void;
  cancel(): void;
  pauseConsumer(paused: boolean): void;
  setSpeed(factor: number): void;
  snapshot(): Snapshot;
  /** checks a config as start would, without starting */
  validate(config: ConfigInput): Config;
  parseQuery(search: string): ParsedQuery;
  defaults(): Config;
  limits(): Limits;
  /** stops simulated time for the whole session */
  pause(): void;
  /** lets simulated time run again from exactly where it stopped */
  resume(): void;
  /** lets exactly one more event be recorded, then pauses; a Promise of it when the run must move */
  step(): RecordedEvent | Promise<RecordedEvent>;
  history(): History;
  /** the state right after event seq, the shape of snapshot() */
  snapshotAt(seq: number): Snapshot;
  /** the events from..to, inclusive, at most 10,000 */
  events(from: number, to: number): RecordedEvent[];
  recording(): Recording;
  /** replays a recording (object or JSON text); no live run until the next start */
  load(recording: Recording | string): void;
}

/** The names of the goflow functions (not ready). */
export type GoflowFunction = Exclude<keyof GoflowAPI, "ready">;

/** What the browser tests read from window.goflowPage. */
export interface PageStats {
  /** the last snapshot drawn */
  snapshot: Snapshot | null;
  frames: number;
  /** "full", "lite" (tokens jump) or "reduced" (prefers-reduced-motion) */
  motion?: string;
  /** snapshot + render, milliseconds */
  renderMs: { avg: number; max: number; last: number };
  /** the goflow.snapshot() call alone */
  snapshotMs: { avg: number; max: number; last: number };
  /** when loading reached each step, by performance.now() */
  loadMs: { script: number; instantiated: number; ready: number };
  /** the size of the Go program's linear memory, once it runs */
  wasmMemoryBytes: number;
}

// Issue 12: the timeline and the explanations (declaration merging keeps
// this block apart from the API above).

/** goflow.timeline(fromMs, toMs, buckets?, seq?): lanes over simulated time. */
export interface Timeline {
  readonly fromMs: number;
  readonly toMs: number;
  readonly buckets: number;
  /** the earliest and latest kept event, and their times */
  readonly first: number;
  readonly last: number;
  readonly firstMs: number;
  readonly lastMs: number;
  /** the time of the seq asked for (the cursor); absent without one */
  readonly cursorMs?: number;
  /** the state words; a lane's digits index them */
  readonly states: readonly string[];
  /**
   * producer, worker 0..N-1, consumer: states has one digit (an index in
   * states) per bucket, "." for none; jobs is [job, fromBucket, toBucket]
   * flattened, for spans wide enough to label; at is the lane's exact
   * [state, job] right after the seq asked for
   */
  readonly lanes: readonly { readonly name: string; readonly states: string; readonly jobs: readonly number[]; readonly at?: readonly [number, number] }[];
  /** each channel's capacity and its fullest len per bucket */
  readonly jobs: { readonly cap: number; readonly fill: readonly number[] };
  readonly results: { readonly cap: number; readonly fill: readonly number[] };
  /** the last event at or before each bucket's end: where a click seeks */
  readonly seqs: readonly number[];
}

/** goflow.why(seq, part): why a part is in its state, and where in the code. */
export interface Why {
  readonly seq: number;
  readonly ms: number;
  readonly part: string;
  readonly state: string;
  readonly job: string;
  readonly text: string;
  /** a place in the program, such as "worker send"; see web/where.js */
  readonly where: string;
}

export interface GoflowAPI {
  timeline(fromMs: number, toMs: number, buckets?: number, seq?: number): Timeline;
  why(seq: number, part: string): Why;
}

export interface PageStats {
  /** the timeline panel's figures (timeline-panel.js) */
  timeline?: import("./timeline-panel.js").PanelStats;
  /** shows the moment after event seq, as a click on the timeline does */
  seek?: (seq: number) => void;
}

declare global {
  /** Set by main.wasm; undefined until it has run. */
  var goflow: GoflowAPI | undefined;
  /** Go's wasm_exec.js runtime class. */
  var Go: (new () => GoRuntime) | undefined;
  interface Window {
    goflowPage: PageStats;
  }
}

/** The part of wasm_exec.js's Go class the page uses. */
export interface GoRuntime {
  importObject: WebAssembly.Imports;
  run(instance: WebAssembly.Instance): Promise<void>;
  exit?: (code: number) => void;
}

/**
 * An instance from goflow.create() (issue 13): the same functions over a
 * playground of its own, plus dispose. After dispose every function throws
 * "<name>: instance disposed". pause and resume stop and resume the whole
 * run (simulated time).
 */
export interface GoflowInstance extends Omit<GoflowAPI, "ready" | "snapshot"> {
  /** the snapshot, with the run's pause (pause/resume) */
  snapshot(): Snapshot & { readonly paused: boolean };
  pause(): void;
  resume(): void;
  /** cancels its run, releases its goroutines and functions; waits for nothing */
  dispose(): void;
}

/** The global goflow with create (issue 13). */
export interface GoflowRoot extends GoflowAPI {
  /** a new independent instance; throws when 64 are alive */
  create(): GoflowInstance;
  /** the process's goroutines (runtime.NumGoroutine()): every instance's and the runtime's own */
  goroutines(): number;
}
