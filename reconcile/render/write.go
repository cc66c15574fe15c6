package render

import (
	"bufio"
	"fmt"
	"io"

	"github.com/orgctl/orgctl/reconcile/history"
)

// WriteHistory writes orgctl history: HistoryJSON with format json,
// HistoryText otherwise, buffered.
func WriteHistory(format string, w io.Writer, h history.History) error {
	bw := bufio.NewWriter(w)
	var err error
	if format == "json" {
		err = HistoryJSON(bw, h)
	} else {
		err = HistoryText(bw, h)
	}
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return fmt.Errorf("writing the history: %w", err)
	}
	return nil
}
