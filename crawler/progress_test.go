package crawler

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestReport(t *testing.T) {
	for _, tty := range []bool{false, true} {
		t.Run(map[bool]string{false: "plain", true: "terminal"}[tty], func(t *testing.T) {
			p := new(Progress)
			var out syncBuffer
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { Report(ctx, &out, p, 20*time.Millisecond, tty); close(done) }()
			time.Sleep(50 * time.Millisecond) // Report has read the zero counters
			p.pages.Add(10)
			p.adsNew.Add(3)
			p.errors.Add(1)
			time.Sleep(120 * time.Millisecond)
			cancel()
			<-done
			s := out.String()
			if !strings.Contains(s, "pages 10") || !strings.Contains(s, "ads new 3") || !strings.Contains(s, "errors 1") {
				t.Errorf("report %q", s)
			}
			if tty != strings.Contains(s, "\r\033[K") {
				t.Errorf("terminal redraw %v in %q", tty, s)
			}
			if !tty && strings.Count(s, "crawl progress:") != 1 {
				t.Errorf("plain report repeats unchanged lines: %q", s)
			}
		})
	}
}
