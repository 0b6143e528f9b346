package worker

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"unsafe"
)

// waitExit blocks until process pid has exited, without reaping it: the
// zombie keeps its pid and process group, so the group can still be killed
// by number without the risk that the number now names another process.
func waitExit(pid int) error {
	const (
		pPID    = 1
		wNoWait = 0x1000000
	)
	var info [128]byte // siginfo_t
	for {
		_, _, errno := syscall.Syscall6(syscall.SYS_WAITID, pPID, uintptr(pid), uintptr(unsafe.Pointer(&info[0])), syscall.WEXITED|wNoWait, 0, 0)
		if errno != syscall.EINTR {
			if errno != 0 {
				return errno
			}
			return nil
		}
	}
}

// residentBytes returns the resident set size of process pid.
func residentBytes(pid int) (int64, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/statm")
	if err != nil {
		return 0, false
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0, false
	}
	pages, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		return 0, false
	}
	return pages * int64(os.Getpagesize()), true
}

// addressSpace returns this process's virtual memory size.
func addressSpace() (int64, bool) {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, false
	}
	f := strings.Fields(string(b))
	if len(f) < 1 {
		return 0, false
	}
	pages, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return 0, false
	}
	return pages * int64(os.Getpagesize()), true
}

func dup2(oldfd, newfd int) error { return syscall.Dup3(oldfd, newfd, 0) }

// limitAddressSpace sets RLIMIT_AS, soft and hard (so that nothing in the
// worker can raise it again), to as bytes, or to the hard limit if that is
// lower.
func limitAddressSpace(as int64) error {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_AS, &rl); err != nil {
		return fmt.Errorf("RLIMIT_AS: %w", err)
	}
	n := min(uint64(as), rl.Max)
	if err := syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: n, Max: n}); err != nil {
		return fmt.Errorf("setting RLIMIT_AS to %d: %w", n, err)
	}
	return nil
}

// threadRoom is the address space kept for what the runtime maps besides
// the heap, chiefly the stacks of threads a cgo binary creates through
// pthreads (as large as RLIMIT_STACK each, 8 MiB by default): too little and
// the runtime aborts when it starts a thread.
func threadRoom() int64 {
	stack := int64(8 << 20)
	var rl syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_STACK, &rl) == nil && rl.Cur > 0 && rl.Cur <= 64<<20 {
		stack = int64(rl.Cur)
	}
	return 256<<20 + 2*int64(runtime.GOMAXPROCS(0))*stack
}
