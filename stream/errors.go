package stream

import (
	"errors"
	"fmt"
)

// permanentError marks an error that retrying cannot fix.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent marks err as not retryable. A Consumer sends a message whose
// handler returned a permanent error to the dead-letter topic and moves past
// it; any other error is retried. Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	if IsPermanent(err) {
		return err
	}
	return &permanentError{err: err}
}

// IsPermanent reports whether err, or any error it wraps, was marked by
// Permanent.
func IsPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}

// panicError is what a handler panic becomes; it is permanent.
func panicError(v any) error {
	return Permanent(fmt.Errorf("stream: handler panic: %v", v))
}
