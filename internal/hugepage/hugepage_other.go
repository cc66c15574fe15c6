//go:build !linux

// Package hugepage asks Linux to back large, fresh memory with huge pages;
// elsewhere its functions do nothing.
package hugepage

// Advise does nothing here: see hugepage_linux.go.
func Advise[T any](s []T) {}

// Heap does nothing here: see hugepage_linux.go.
func Heap(n int64) {}
