package crawler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
)

// maxRobotsBytes bounds the robots.txt read per host.
const maxRobotsBytes = 512 << 10

// ErrRobotsDisallowed is wrapped by errors of fetches robots.txt forbids.
var ErrRobotsDisallowed = errors.New("disallowed by robots.txt")

// docFetcher fetches the documents a crawl reads as streams rather than
// as pages (sitemaps, feeds) and the pages `lure sites add` looks at,
// with the politeness of the crawl: robots.txt, the User-Agent, the
// site's delay between requests, bounded time and redirects.
type docFetcher struct {
	client *http.Client
	ua     string
	delay  time.Duration

	mu     sync.Mutex
	last   time.Time
	robots map[string]*robotsFile // by scheme://host
}

// robotsFile is one host's robots.txt.
type robotsFile struct {
	found    bool // the host served one (2xx)
	data     *robotstxt.RobotsData
	sitemaps []string
}

func newDocFetcher(p *Profile, opts *Options) *docFetcher {
	timeout := p.timeout(opts)
	ua := opts.UserAgent
	if p.UserAgent != "" {
		ua = p.UserAgent
	}
	return &docFetcher{
		client: &http.Client{Transport: newTransport(opts, timeout), Timeout: timeout,
			CheckRedirect: redirectPolicy(opts.MaxRedirects)},
		ua: ua, delay: p.Delay, robots: map[string]*robotsFile{},
	}
}

// wait keeps the delay between two requests.
func (f *docFetcher) wait(ctx context.Context) error {
	f.mu.Lock()
	next := f.last.Add(f.delay)
	now := time.Now()
	if next.Before(now) {
		next = now
	}
	f.last = next
	f.mu.Unlock()
	t := time.NewTimer(time.Until(next))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// robotsOf returns the robots.txt of u's host, fetching it once. A
// robots.txt that cannot be fetched at all allows everything, as one
// answering 4xx does; 5xx disallows everything (RFC 9309).
func (f *docFetcher) robotsOf(ctx context.Context, u *url.URL) (*robotsFile, error) {
	key := u.Scheme + "://" + u.Host
	f.mu.Lock()
	r, ok := f.robots[key]
	f.mu.Unlock()
	if ok {
		return r, nil
	}
	r = &robotsFile{}
	status, body, err := f.raw(ctx, key+"/robots.txt", maxRobotsBytes)
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case err != nil:
		status, body = http.StatusNotFound, nil
	}
	if r.data, err = robotstxt.FromStatusAndBytes(status, body); err != nil || r.data == nil {
		r.data, _ = robotstxt.FromStatusAndBytes(http.StatusNotFound, nil)
	}
	if status/100 == 2 {
		r.found = true
		r.sitemaps, _ = RobotsSitemaps(bytes.NewReader(body))
	}
	f.mu.Lock()
	f.robots[key] = r
	f.mu.Unlock()
	return r, nil
}

// raw GETs u without a robots.txt check and returns its status and at
// most limit bytes of its body.
func (f *docFetcher) raw(ctx context.Context, u string, limit int64) (int, []byte, error) {
	resp, err := f.do(ctx, u, nil)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit))
	return resp.StatusCode, b, err
}

func (f *docFetcher) do(ctx context.Context, u string, hdr http.Header) (*http.Response, error) {
	if err := f.wait(ctx); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	req.Header.Set("User-Agent", f.ua)
	return f.client.Do(req)
}

// open GETs u when robots.txt allows it and returns the response of a
// 2xx answer, whose body the caller reads and closes. Other statuses are
// an error naming the status (*StatusError).
func (f *docFetcher) open(ctx context.Context, u string) (*http.Response, error) {
	pu, err := url.Parse(u)
	if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
		return nil, fmt.Errorf("crawler: %q is not an absolute http(s) URL", u)
	}
	r, err := f.robotsOf(ctx, pu)
	if err != nil {
		return nil, err
	}
	path := pu.EscapedPath()
	if pu.RawQuery != "" {
		path += "?" + pu.RawQuery
	}
	if !r.data.TestAgent(path, f.ua) {
		return nil, fmt.Errorf("crawler: %s: %w", u, ErrRobotsDisallowed)
	}
	resp, err := f.do(ctx, u, nil)
	if err != nil {
		return nil, fmt.Errorf("crawler: %w", err)
	}
	if resp.StatusCode/100 != 2 {
		resp.Body.Close()
		return nil, &StatusError{URL: u, Status: resp.StatusCode}
	}
	return resp, nil
}

// StatusError is a fetch answered with a status other than 2xx.
type StatusError struct {
	URL    string
	Status int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("crawler: %s: status %d %s", e.URL, e.Status, strings.ToLower(http.StatusText(e.Status)))
}
