//go:build unix && !linux

package worker

import (
	"errors"
	"syscall"
)

// waitExit is not supported where waitid(WNOWAIT) is not used: the pool
// kills a worker's process group only when it kills the worker itself, not
// after the worker exits on its own.
func waitExit(pid int) error { return errors.ErrUnsupported }

// residentBytes is not known here: the pool's memory watchdog is off and
// RLIMIT_AS alone caps a worker.
func residentBytes(pid int) (int64, bool) { return 0, false }

// addressSpace is not known here, so RLIMIT_AS is not set.
func addressSpace() (int64, bool) { return 0, false }

func dup2(oldfd, newfd int) error { return syscall.Dup2(oldfd, newfd) }

func limitAddressSpace(as int64) error { return nil }

func threadRoom() int64 { return 0 }
