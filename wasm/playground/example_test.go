package playground_test

import (
	"fmt"

	"github.com/goflow-dev/goflow/wasm/playground"
)

// A recording replays without running anything: here one job goes through
// one worker, and snapshotAt shows each moment.
func ExamplePlayground_Load() {
	rec := `{"version":1,"config":{"workers":1,"workMs":100,"seed":7},"first":1,"base":null,"events":[
		[1,0,1,-1,0,1000000],
		[2,0,2,-1,0,1],
		[3,0,8,0,0,0],
		[4,0,3,-1,1,0],
		[5,0,9,0,1,0],
		[6,100000000,10,0,1,1],
		[7,100000000,11,0,1,0],
		[8,100000000,15,-1,1,0]]}`
	pg := playground.New()
	if err := pg.Load(rec); err != nil {
		fmt.Println(err)
		return
	}
	first, last := pg.History()
	for seq := first; seq <= last; seq++ {
		s, _ := pg.SnapshotAt(seq)
		l := s.Log[len(s.Log)-1]
		fmt.Printf("%d %4dms %-28s worker %-5s received %d emitted %d consumed %d\n",
			seq, l.Ms, l.Text, s.Workers[0].State, s.Counters.Received, s.Counters.Emitted, s.Consumer.Consumed)
	}
	// Output:
	// 1    0ms the session started at speed 1 worker idle  received 0 emitted 0 consumed 0
	// 2    0ms submitted 1 job              worker idle  received 0 emitted 0 consumed 0
	// 3    0ms worker 0 started             worker idle  received 0 emitted 0 consumed 0
	// 4    0ms the producer sent job-1      worker idle  received 0 emitted 0 consumed 0
	// 5    0ms worker 0 took job-1          worker busy  received 1 emitted 0 consumed 0
	// 6  100ms worker 0 finished job-1: succeeded worker blocked received 1 emitted 0 consumed 0
	// 7  100ms worker 0 emitted job-1       worker idle  received 1 emitted 1 consumed 0
	// 8  100ms the consumer took job-1      worker idle  received 1 emitted 1 consumed 1
}
