//go:build !linux

package reconcile

// adviseHuge does nothing here: see hugepages_linux.go.
func adviseHuge[T any](s []T) {}
