package playground

// Internals for the tests in package playground_test.
var (
	AppendString = appendString
	AppendFloat  = appendFloat
)

// LongRecording records n submit events of one job each on a recorder of
// its own (no goroutines), and returns its history and the snapshots at
// its first kept event: from the keyframes, and from replaying every event
// since the start (the events it dropped included).
func LongRecording(n int) (first, last uint64, got, want Snapshot) {
	cfg := DefaultConfig()
	cfg.Seed = 1
	r := newRecorder(cfg, nil)
	r.recordNow(Event{Kind: KindStart, Worker: -1, Arg: speedArg(1)})
	for range n {
		r.recordNow(Event{Kind: KindSubmit, Worker: -1, Arg: 1})
	}
	first, last = r.history()
	exact := newState(cfg.Workers)
	exact.apply(Event{Seq: 1, Kind: KindStart, Worker: -1, Arg: speedArg(1)})
	for s := uint64(2); s <= first; s++ {
		exact.apply(Event{Seq: s, Kind: KindSubmit, Worker: -1, Arg: 1})
	}
	var sc snapshotScratch
	r.snapshotAt(&sc, first)
	got = sc.snap
	got.Log = nil
	exact.fill(&want, &cfg, exact.at, nil, nil)
	return first, last, got, want
}

// LongPlayground returns a playground whose recording (with no live run)
// is n submit events after a start with 2 workers: past ringEvents, its
// recording() has a base.
func LongPlayground(n int) *Playground {
	cfg := DefaultConfig()
	cfg.Workers, cfg.Seed = 2, 1
	r := newRecorder(cfg, nil)
	r.recordNow(Event{Kind: KindStart, Worker: -1, Arg: speedArg(0.5)})
	r.recordNow(Event{Kind: KindWorkerStarted, Worker: 1})
	r.recordNow(Event{Kind: KindCancel, Worker: -1})
	for range n {
		r.recordNow(Event{Kind: KindSubmit, Worker: -1, Arg: 1})
	}
	pg := New()
	pg.rec = r
	return pg
}

// PipelineErr returns the live session's pipeline.Err().
func (pg *Playground) PipelineErr() error { return pg.session().pipe.Err() }

// Recorded returns, from the whole recording, the job of every event of the
// kind named (as in "result consumed"), in the order recorded.
func (pg *Playground) Recorded(kind string) []int {
	r := pg.recording()
	r.mu.Lock()
	defer r.mu.Unlock()
	var jobs []int
	for s := r.first; s <= r.head.seq && s > 0; s++ {
		if e := r.event(s); e.Kind.String() == kind {
			jobs = append(jobs, int(e.Job))
		}
	}
	return jobs
}

// ParseURLQuery is the query-string decoder that stands in for url.ParseQuery.
var ParseURLQuery = parseURLQuery
