package worker

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"syscall"
)

// dirtyDevNull makes /dev/null, as the calling goroutine sees it, a
// regular file holding devNullJunk: what a root process leaves there when
// it replaces /dev/null by renaming a file over it (`sift score --out
// /dev/null` did: it writes its output to a temporary file and renames it
// over the path) and something then writes to it. It locks the goroutine to
// its thread, gives that thread a mount namespace of its own, private so
// that nothing propagates to the rest of the system, and bind-mounts a
// file there. It needs CAP_SYS_ADMIN.
func dirtyDevNull() error {
	runtime.LockOSThread() // for good: the namespace is this thread's
	if err := syscall.Unshare(syscall.CLONE_NEWNS); err != nil {
		return fmt.Errorf("unshare: %w", err)
	}
	// Before any mount: otherwise the bind mount below would propagate to
	// the mount namespace this process came from.
	if err := syscall.Mount("", "/", "", syscall.MS_REC|syscall.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("making mounts private: %w", err)
	}
	f, err := os.CreateTemp("", "devnull")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	_, err = f.WriteString(devNullJunk)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := syscall.Mount(f.Name(), os.DevNull, "", syscall.MS_BIND, ""); err != nil {
		return fmt.Errorf("bind mount on %s: %w", os.DevNull, err)
	}
	if b, err := os.ReadFile(os.DevNull); err != nil || string(b) != devNullJunk {
		return errors.New("the bind mount is not seen")
	}
	return nil
}
