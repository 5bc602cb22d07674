//go:build !unix

package app

// lockServe is a no-op where flock is unavailable.
func lockServe(DataPaths) (func(), error) { return func() {}, nil }
