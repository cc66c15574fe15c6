package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// writeAtomic writes data to file through a temporary file in the same
// directory that is synced and renamed over it, so that a reader sees the
// old file or the new one, never half of it. A new file (and its
// directory) is created with mode 0644; an existing one keeps its mode, and
// a symlink keeps pointing at the file it names.
func writeAtomic(file string, data []byte) error {
	if real, err := filepath.EvalSymlinks(file); err == nil {
		file = real
	}
	perm := fs.FileMode(0o644)
	switch st, err := os.Stat(file); {
	case err == nil:
		perm = st.Mode().Perm()
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			return err
		}
	default:
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".orgctl-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), file)
}
