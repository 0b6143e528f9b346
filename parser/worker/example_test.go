//go:build unix

package worker_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"sift/parser"
	"sift/parser/worker"
)

// A program parses untrusted resumes in a pool of copies of itself. The
// first lines of main make the copies workers.
func Example() {
	if worker.IsWorker() {
		os.Exit(worker.Main())
	}

	pool := &worker.Pool{
		Parser:      parser.Parser{Timeout: 20 * time.Second},
		MemoryLimit: 512 << 20,
	}
	defer pool.Close()

	data, err := os.ReadFile("resume.pdf")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := pool.ParseBytes(context.Background(), "resume.pdf", data)
	switch {
	case errors.Is(err, worker.ErrStart):
		fmt.Println("no workers:", err) // stop the batch: every file would fail
	case errors.Is(err, parser.ErrTimeout), errors.Is(err, parser.ErrTooLarge):
		fmt.Println("skipped:", err) // the worker was killed; the next file gets a new one
	case err != nil:
		fmt.Println(parser.Reason(err), err)
	default:
		fmt.Println(res.Status, len(res.Positions), "positions")
	}
}
