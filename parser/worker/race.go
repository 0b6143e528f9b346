//go:build race

package worker

// raceEnabled: the race detector maps shadow memory as the heap grows, which
// fails under RLIMIT_AS, so a worker built with -race does without it.
const raceEnabled = true
