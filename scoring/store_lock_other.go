//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package scoring

import (
	"errors"
	"os"
)

// lockDir creates path exclusively; without flock, a crashed process leaves
// it behind, and it must be removed by hand.
func lockDir(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil, ErrLocked
	}
	return f, err
}

func unlockDir(f *os.File) error {
	if f == nil {
		return nil
	}
	name := f.Name()
	err := f.Close()
	return errors.Join(err, os.Remove(name))
}
