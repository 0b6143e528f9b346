//go:build unix && !linux

package worker

import "errors"

func dirtyDevNull() error { return errors.ErrUnsupported }
