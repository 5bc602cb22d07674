package crawler

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"
)

// maxPatternBytes bounds one include or exclude pattern.
const maxPatternBytes = 1000

// urlPattern is one compiled include or exclude pattern (see
// Profile.Include).
type urlPattern struct {
	glob string
	re   *regexp.Regexp
}

// compilePattern compiles an include or exclude pattern: "re:" and a
// regular expression, or a path.Match glob over the URL path.
func compilePattern(s string) (urlPattern, error) {
	switch {
	case strings.TrimSpace(s) == "":
		return urlPattern{}, errors.New("empty pattern")
	case len(s) > maxPatternBytes:
		return urlPattern{}, fmt.Errorf("pattern longer than %d bytes", maxPatternBytes)
	}
	if expr, ok := strings.CutPrefix(s, "re:"); ok {
		re, err := regexp.Compile(expr)
		if err != nil {
			return urlPattern{}, fmt.Errorf("bad regular expression %q: %v", expr, err)
		}
		return urlPattern{re: re}, nil
	}
	if !strings.HasPrefix(s, "/") {
		return urlPattern{}, fmt.Errorf("glob %q must start with / (it matches the URL path), or write a regular expression as re:...", s)
	}
	if _, err := path.Match(s, "/"); err != nil {
		return urlPattern{}, fmt.Errorf("bad glob %q: %v", s, err)
	}
	return urlPattern{glob: s}, nil
}

func (p urlPattern) match(u *url.URL) bool {
	if p.re != nil {
		s := u.EscapedPath()
		if u.RawQuery != "" {
			s += "?" + u.RawQuery
		}
		return p.re.MatchString(s)
	}
	ok, _ := path.Match(p.glob, u.Path)
	return ok
}

// urlFilter selects ad URLs by a profile's Include and Exclude.
type urlFilter struct {
	include, exclude []urlPattern
}

// newURLFilter compiles the profile's patterns; Validate has checked them.
func newURLFilter(p *Profile) (*urlFilter, error) {
	f := &urlFilter{}
	for _, s := range p.Include {
		pat, err := compilePattern(s)
		if err != nil {
			return nil, fmt.Errorf("crawler: include %q: %w", s, err)
		}
		f.include = append(f.include, pat)
	}
	for _, s := range p.Exclude {
		pat, err := compilePattern(s)
		if err != nil {
			return nil, fmt.Errorf("crawler: exclude %q: %w", s, err)
		}
		f.exclude = append(f.exclude, pat)
	}
	return f, nil
}

// keep reports whether the absolute URL raw is an ad page by the filter.
func (f *urlFilter) keep(raw string) bool {
	if f == nil || (len(f.include) == 0 && len(f.exclude) == 0) {
		return true
	}
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	if len(f.include) > 0 {
		in := false
		for _, p := range f.include {
			if p.match(u) {
				in = true
				break
			}
		}
		if !in {
			return false
		}
	}
	for _, p := range f.exclude {
		if p.match(u) {
			return false
		}
	}
	return true
}
