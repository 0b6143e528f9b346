package main

import (
	"context"
	"sync"
)

// forEach calls fn for indices 0..n-1 on up to workers goroutines and
// delivers results to emit in index order, as soon as each is ready, so
// output streams in a stable order whatever the number of workers.
func forEach[T any](ctx context.Context, n, workers int, fn func(ctx context.Context, i int) T, emit func(i int, v T)) {
	if workers < 1 {
		workers = 1
	}
	results := make([]T, n)
	done := make([]bool, n)
	var mu sync.Mutex
	next := 0 // the next index to emit
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers && w < n; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				v := fn(ctx, i)
				mu.Lock()
				results[i], done[i] = v, true
				for next < n && done[next] {
					emit(next, results[next])
					var zero T
					results[next] = zero // let it be collected
					next++
				}
				mu.Unlock()
			}
		}()
	}
	for i := 0; i < n; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
}
