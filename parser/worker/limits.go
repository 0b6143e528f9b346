//go:build unix

package worker

import (
	"fmt"
	"os"
	"runtime/debug"
	"syscall"
)

// limitMemory caps this process's memory at about limit bytes: a soft limit
// at 80% of it makes the garbage collector work harder as the heap nears
// it, and RLIMIT_AS lets the address space grow by at most limit plus
// threadRoom, so that an allocation past it fails at once and the runtime
// dies with "out of memory" (which the pool reports as ErrTooLarge). The
// pool's watchdog, which kills a worker whose resident size passes limit,
// is the finer check; RLIMIT_AS catches what grows faster than it polls,
// such as one huge allocation.
//
// Unless GOGC says otherwise, it also lets the heap grow to five times what
// is live between collections (GOGC=400): a worker's live heap is one
// document, so this trades a few megabytes for a fifth of the parse time
// the default spent collecting, and the soft limit still bounds the heap.
func limitMemory(limit int64) error {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if limit <= 0 {
		return nil
	}
	debug.SetMemoryLimit(limit / 5 * 4)
	if raceEnabled {
		return nil
	}
	base, ok := addressSpace()
	if !ok {
		return nil
	}
	return limitAddressSpace(base + limit + threadRoom())
}

// takeStdio moves the protocol streams off fds 0 and 1 to new descriptors
// (closed on exec, so that nothing the worker starts inherits them), points
// fd 0 at an empty pipe and fd 1 at fd 2, and returns the protocol streams.
//
// The pipe's write end is closed, so a read from fd 0 ends at once, here and
// in anything the worker starts. It is not /dev/null: opened by name, that
// is whatever file has the name, and where root has renamed a file over it
// (as a program does that replaces its output file whole, given /dev/null
// as the output) it is a regular file holding what was last written to it.
func takeStdio() (in, out *os.File, err error) {
	// Held for reading, the lock keeps a fork out while the pipe below is
	// open without close-on-exec.
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	infd, err := syscall.Dup(0)
	if err != nil {
		return nil, nil, fmt.Errorf("dup stdin: %w", err)
	}
	syscall.CloseOnExec(infd)
	outfd, err := syscall.Dup(1)
	if err != nil {
		return nil, nil, fmt.Errorf("dup stdout: %w", err)
	}
	syscall.CloseOnExec(outfd)
	var empty [2]int
	if err := syscall.Pipe(empty[:]); err != nil {
		return nil, nil, fmt.Errorf("pipe for stdin: %w", err)
	}
	syscall.Close(empty[1])
	err = dup2(empty[0], 0)
	syscall.Close(empty[0])
	if err != nil {
		return nil, nil, fmt.Errorf("stdin to an empty pipe: %w", err)
	}
	if err := dup2(2, 1); err != nil {
		return nil, nil, fmt.Errorf("stdout to stderr: %w", err)
	}
	// Non-blocking, the descriptors go through the runtime's poller
	// rather than holding a thread each.
	syscall.SetNonblock(infd, true)
	syscall.SetNonblock(outfd, true)
	return os.NewFile(uintptr(infd), "protocol-in"), os.NewFile(uintptr(outfd), "protocol-out"), nil
}
