package autopilot

import "time"

// task is a scheduled step.
type task struct {
	at    time.Time
	seq   int
	actor string
	step  Step
}

// schedule is a min-heap of tasks by time, then scheduling order; it
// implements container/heap.Interface.
type schedule []task

func (s schedule) Len() int { return len(s) }
func (s schedule) Less(i, j int) bool {
	if !s[i].at.Equal(s[j].at) {
		return s[i].at.Before(s[j].at)
	}
	return s[i].seq < s[j].seq
}
func (s schedule) Swap(i, j int) { s[i], s[j] = s[j], s[i] }
func (s *schedule) Push(x any)   { *s = append(*s, x.(task)) }
func (s *schedule) Pop() any {
	old := *s
	t := old[len(old)-1]
	*s = old[:len(old)-1]
	return t
}
