package crawler

import (
	"context"
	"io"
	"log/slog"
	"time"
)

// Progress report intervals of Schedule: the live status line, and the
// log lines when there is no live writer.
const (
	liveInterval        = time.Second
	progressLogInterval = 10 * time.Second
)

// ScheduleOptions configure Schedule.
type ScheduleOptions struct {
	// Crawl are the options of every pass. Crawl.Profiles are all the
	// sites scheduled; each pass crawls those that are due. A nil
	// Crawl.Progress is replaced by one that counts across passes.
	Crawl Options
	// Recrawl is the interval of the profiles that set none
	// (Profile.Recrawl 0); 0 means DefaultRecrawl.
	Recrawl time.Duration
	// Live, if set, receives a one-line status redrawn every second while
	// a pass runs (for a terminal, see Report). Otherwise progress goes to
	// Crawl.Logger every 10 s while a pass runs, when something changed.
	Live io.Writer
	// OnPass, if set, is called after each pass that finished (not
	// failed, not cancelled).
	OnPass func()
}

// Schedule crawls until ctx is cancelled: every site once at the start,
// then each site again after its profile's recrawl interval (or
// opts.Recrawl when the profile sets none). One pass crawls all the sites
// that are due, with Run; a pass that fails is logged and the sites are
// tried again after their interval. Schedule returns when ctx is done.
func Schedule(ctx context.Context, opts ScheduleOptions) {
	log := opts.Crawl.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	progress := opts.Crawl.Progress
	if progress == nil {
		progress = new(Progress)
		opts.Crawl.Progress = progress
	}
	profiles := opts.Crawl.Profiles
	if len(profiles) == 0 {
		<-ctx.Done() // nothing is ever due
		return
	}
	interval := func(p Profile) time.Duration {
		switch {
		case p.Recrawl > 0:
			return p.Recrawl
		case opts.Recrawl > 0:
			return opts.Recrawl
		}
		return DefaultRecrawl
	}
	next := map[string]time.Time{}
	for {
		start := time.Now()
		var due []Profile
		for _, p := range profiles {
			if !next[p.Site].After(start) {
				due = append(due, p)
			}
		}
		if len(due) > 0 {
			before := progress.Stats()
			passCtx, endPass := context.WithCancel(ctx)
			if opts.Live != nil {
				go Report(passCtx, opts.Live, progress, liveInterval, true)
			} else {
				go logProgress(passCtx, log, progress, progressLogInterval)
			}
			popts := opts.Crawl
			popts.Profiles = due
			err := Run(ctx, popts)
			endPass()
			if err != nil && ctx.Err() == nil {
				log.Error("crawl pass failed", "err", err)
			} else if ctx.Err() == nil {
				if opts.OnPass != nil {
					opts.OnPass()
				}
				d := progress.Stats()
				log.Info("crawl pass finished", "sites", len(due), "took", time.Since(start).Round(time.Millisecond),
					"pages", d.Pages-before.Pages, "new", d.New-before.New, "changed", d.Changed-before.Changed,
					"unchanged", d.Unchanged-before.Unchanged, "removed", d.Removed-before.Removed,
					"errors", d.Errors-before.Errors)
			}
			for _, p := range due {
				next[p.Site] = start.Add(interval(p))
			}
		}
		wake := time.Time{}
		for _, t := range next {
			if wake.IsZero() || t.Before(wake) {
				wake = t
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Until(wake)):
		}
	}
}

// logProgress logs the crawl's progress every interval until ctx is
// done, when something changed.
func logProgress(ctx context.Context, log *slog.Logger, progress *Progress, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	last := progress.Stats()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s := progress.Stats()
			if s != last {
				log.Info("crawl progress", "pages", s.Pages, "new", s.New, "changed", s.Changed,
					"unchanged", s.Unchanged, "removed", s.Removed, "errors", s.Errors,
					"pages_per_s", float64(s.Pages-last.Pages)/interval.Seconds())
				last = s
			}
		}
	}
}
