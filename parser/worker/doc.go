// Package worker parses untrusted documents in child processes, where a
// deadline and a memory cap are enforced by killing the process.
//
// Go cannot stop a goroutine, and a document library with an infinite loop
// or an unbounded allocation would keep a core or take the machine's memory
// long after a deadline on the goroutine has passed. A Pool therefore hands
// each document to one of a few worker processes: the program itself,
// started again with a hidden argument (Arg). A worker that overruns its
// deadline or its memory limit is killed, with anything it started, and
// replaced; the document fails with parser.ErrTimeout or parser.ErrTooLarge
// and the next document goes to a fresh worker. The model is Apache Tika's
// forked, watchdog-supervised mode.
//
// A program that uses a Pool with the default Command starts with
//
//	if worker.IsWorker() {
//		os.Exit(worker.Main())
//	}
//
// Parsing in process (package parser) stays available to callers that trust
// their documents, and to tests.
//
// The pool and its workers talk over the worker's stdin and stdout in
// length-prefixed frames (see protocol.go), versioned so that a worker from
// another build is refused with a clear error. A worker exits when its
// stdin closes, so workers do not outlive the pool's process.
package worker
