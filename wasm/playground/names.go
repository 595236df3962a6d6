package playground

import "strconv"

// nameCache makes the job IDs of the snapshots filled into one scratch
// (snapshotScratch.names) with next to no allocation: it keeps recent IDs,
// as from one animation frame to the next most are the same, and makes the
// others of one snapshot as substrings of a single new string. Its buffers
// are reused from one snapshot to the next; the scratch's mutex guards it.
type nameCache struct {
	ids [512]struct {
		n  int32
		id string
	} // by n % 512

	nums []int32  // the job numbers of the snapshot being filled
	out  []string // jobIDs' result
	ends []int    // for each of nums, its ID's end in buf; -1 when cached
	buf  []byte   // the IDs not cached, one after the other
}

// jobIDs returns jobID(n) for each of nums, in order; the slice is valid
// until the next call. nums becomes the cache's own (c.nums) to reuse.
func (c *nameCache) jobIDs(nums []int32) []string {
	c.nums = nums
	out, ends, buf := c.out[:0], c.ends[:0], c.buf[:0]
	for _, n := range nums {
		slot := &c.ids[uint32(n)%uint32(len(c.ids))]
		if slot.n == n && slot.id != "" {
			out = append(out, slot.id)
			ends = append(ends, -1)
			continue
		}
		buf = strconv.AppendInt(append(buf, "job-"...), int64(n), 10)
		out = append(out, "")
		ends = append(ends, len(buf))
	}
	if len(buf) > 0 {
		all, start := string(buf), 0 // the one allocation
		for i, end := range ends {
			if end < 0 {
				continue
			}
			out[i] = all[start:end]
			start = end
			slot := &c.ids[uint32(nums[i])%uint32(len(c.ids))]
			slot.n, slot.id = nums[i], out[i]
		}
	}
	c.out, c.ends, c.buf = out, ends, buf
	return out
}
