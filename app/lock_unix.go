//go:build unix

package app

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockServe takes the exclusive advisory lock of the serve role on the
// data directory (DataPaths.ServeLock): one process at a time writes its
// store and index. The lock dies with the process.
func lockServe(p DataPaths) (unlock func(), err error) {
	f, err := os.OpenFile(p.ServeLock, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("app: lock data dir: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w: %s", ErrDataDirInUse, p.ServeLock)
		}
		return nil, fmt.Errorf("app: lock data dir: %w", err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
