package crawler

import (
	"context"
	"fmt"
	"io"
	"sync/atomic"
	"time"
)

// Progress counts a crawl's work as it happens, across sites and passes.
// The zero value is ready; it is safe for concurrent use.
type Progress struct {
	pages, bytes, errors                         atomic.Int64
	adsNew, adsChanged, adsUnchanged, adsRemoved atomic.Int64
}

// ProgressStats is a reading of a Progress.
type ProgressStats struct {
	Pages, Bytes, Errors             int64
	New, Changed, Unchanged, Removed int64
}

// Stats reads the counters.
func (p *Progress) Stats() ProgressStats {
	return ProgressStats{
		Pages: p.pages.Load(), Bytes: p.bytes.Load(), Errors: p.errors.Load(),
		New: p.adsNew.Load(), Changed: p.adsChanged.Load(), Unchanged: p.adsUnchanged.Load(), Removed: p.adsRemoved.Load(),
	}
}

// String formats the counters on one line.
func (s ProgressStats) String() string {
	return fmt.Sprintf("pages %d (%.1f MB) · ads new %d changed %d unchanged %d removed %d · errors %d",
		s.Pages, float64(s.Bytes)/1e6, s.New, s.Changed, s.Unchanged, s.Removed, s.Errors)
}

// Report writes p to w every interval until ctx is done, then once more.
// On a terminal (tty true) it redraws one status line with the page rate;
// otherwise it writes a plain line per interval, and only when something
// changed.
func Report(ctx context.Context, w io.Writer, p *Progress, interval time.Duration, tty bool) {
	if interval <= 0 {
		interval = time.Second
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	last, lastT := p.Stats(), time.Now()
	for {
		select {
		case <-ctx.Done():
			s := p.Stats()
			if tty {
				fmt.Fprintf(w, "\r\033[K%s\n", s)
			} else if s != last {
				fmt.Fprintf(w, "crawl progress: %s\n", s)
			}
			return
		case now := <-t.C:
			s := p.Stats()
			rate := float64(s.Pages-last.Pages) / now.Sub(lastT).Seconds()
			switch {
			case tty:
				fmt.Fprintf(w, "\r\033[K%s · %.1f pages/s", s, rate)
			case s != last:
				fmt.Fprintf(w, "crawl progress: %s · %.1f pages/s\n", s, rate)
			}
			last, lastT = s, now
		}
	}
}
