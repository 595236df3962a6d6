package playground_test

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/goflow-dev/goflow/wasm/playground"
)

func TestAppendString(t *testing.T) {
	for _, s := range []string{"", "job-7", `quote " backslash \ slash /`, "\x00\x1f\n\r\t", "<a>&", "é€😀", "\u2028\u2029", "bad \xff utf-8 \xe2\x82", "\x7f"} {
		want, _ := json.Marshal(s)
		if got := playground.AppendString(nil, s); string(got) != string(want) {
			t.Errorf("AppendString(%q) = %s; want %s", s, got, want)
		}
	}
}

func TestAppendFloat(t *testing.T) {
	for _, f := range []float64{0, 1, -1, 0.05, 0.1 + 0.2, 800, 60000, 1e-7, 1e21, 1e20, 123456789.125, math.SmallestNonzeroFloat64, math.MaxFloat64} {
		want, _ := json.Marshal(f)
		if got := playground.AppendFloat(nil, f); string(got) != string(want) {
			t.Errorf("AppendFloat(%v) = %s; want %s", f, got, want)
		}
	}
}

// TestSnapshotJSON checks AppendJSON against encoding/json on a snapshot of
// a busy session: both must decode to the same value.
func TestSnapshotJSON(t *testing.T) {
	bubble(t, func(t *testing.T, pg *playground.Playground) {
		checkJSON(t, pg.Snapshot()) // idle
		start(t, pg, playground.Config{Workers: 4, JobBuffer: 2, ResultBuffer: 2, WorkMs: 100, JitterMs: 33.3, FailRate: 0.3, TimeoutMs: 110})
		pg.PauseConsumer(true)
		submit(t, pg, 40)
		settle(250 * time.Millisecond)
		snap := pg.Snapshot()
		if len(snap.Results.IDs) != 2 || len(snap.Jobs.IDs) != 2 || len(snap.Producer.Waiting) != 20 {
			t.Errorf("snapshot has ids %v, %v, waiting %v; want the channels full and 20 waiting", snap.Jobs.IDs, snap.Results.IDs, snap.Producer.Waiting)
		}
		checkJSON(t, snap)
		pg.Cancel()
		snap = waitDone(t, pg, time.Second)
		checkJSON(t, snap)
	})
}

func checkJSON(t *testing.T, snap playground.Snapshot) {
	t.Helper()
	mine := snap.AppendJSON(nil)
	// AppendJSON writes [] for an empty list, where encoding/json writes
	// null for a nil slice.
	for _, ids := range []*[]string{&snap.Producer.Waiting, &snap.Jobs.IDs, &snap.Results.IDs} {
		if *ids == nil {
			*ids = []string{}
		}
	}
	if snap.Workers == nil {
		snap.Workers = []playground.Worker{}
	}
	if snap.Log == nil {
		snap.Log = []playground.LogEntry{}
	}
	theirs, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	if err := json.Unmarshal(mine, &a); err != nil {
		t.Fatalf("AppendJSON wrote invalid JSON: %v\n%s", err, mine)
	}
	if err := json.Unmarshal(theirs, &b); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("AppendJSON:\n%s\nencoding/json:\n%s", mine, theirs)
	}
}

func TestQueryJSON(t *testing.T) {
	for _, search := range []string{"", "?workers=x&failRate=0.5&nope=1"} {
		q := playground.ParseQuery(search)
		theirs, _ := json.Marshal(q)
		if got := string(q.AppendJSON(nil)); got != string(theirs) {
			t.Errorf("ParseQuery(%q).AppendJSON = %s; want %s", search, got, theirs)
		}
	}
	cfg := playground.Config{Workers: 3, FailRate: 1e-7, WorkMs: 12.5}
	theirs, _ := json.Marshal(cfg)
	if got := string(cfg.AppendJSON(nil)); got != string(theirs) {
		t.Errorf("Config.AppendJSON = %s; want %s", got, theirs)
	}
}
