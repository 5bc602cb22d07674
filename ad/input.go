package ad

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// Input is one ad as the offline tools read it from JSON Lines (`lure
// score`, `lure eval`, `lure fit`): the ad's text fields and optional
// metadata. Unknown fields are ignored so that other tools' exports can be
// read as they are.
type Input struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Body     string `json:"body"`
	Contact  string `json:"contact"`
	Location string `json:"location"`
	Salary   string `json:"salary"`
	Lang     string `json:"lang"`
	Kind     Kind   `json:"kind"`
	Site     string `json:"site"`
	URL      string `json:"url"`
}

// Ad turns the input into a validated Ad with its content hash: the one
// conversion of every tool that reads ads as Input. An empty site or kind
// takes site or KindJob; an input without an ID takes fallbackID (see
// AdID for one derived from the input's URL). The Ad is returned with the
// validation error, if any.
func (in Input) Ad(site, fallbackID string) (Ad, error) {
	a := Ad{V: Version, ID: in.ID, Site: in.Site, URL: in.URL, Kind: in.Kind, Lang: in.Lang,
		Title: in.Title, Body: in.Body, Salary: in.Salary, Location: in.Location, Contact: in.Contact}
	if a.Site == "" {
		a.Site = site
	}
	if a.ID == "" {
		a.ID = fallbackID
	}
	if a.Kind == "" {
		a.Kind = KindJob
	}
	a = a.WithHash()
	return a, a.Validate()
}

// AdID returns the ID of the input's ad: its own, or failing that the
// stable ID of its URL on its site (MakeID; an input without a site is on
// site), or failing that, or when the URL is not absolute, fallback. It
// is the fallback ID to give Ad for an input named by its URL.
func (in Input) AdID(site, fallback string) string {
	if in.ID != "" {
		return in.ID
	}
	if in.URL == "" {
		return fallback
	}
	if in.Site != "" {
		site = in.Site
	}
	if id, err := MakeID(site, in.URL); err == nil {
		return id
	}
	return fallback
}

// ErrLineTooLong is returned by ReadLine for a line over its limit.
var ErrLineTooLong = errors.New("line too long")

// ReadLine returns the next line of r without its line ending, reading at
// most max bytes of it. A longer line is consumed to its end and reported
// as ErrLineTooLong, so the caller can report it and go on. At the end of
// the input it returns the last line (possibly empty) with io.EOF.
func ReadLine(r *bufio.Reader, max int) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(buf)+len(chunk) > max+1 {
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = r.ReadSlice('\n')
			}
			if err != nil && !errors.Is(err, io.EOF) {
				return nil, err
			}
			return nil, ErrLineTooLong
		}
		buf = append(buf, chunk...)
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err != nil:
			return buf, err
		}
		return bytes.TrimRight(buf, "\r\n"), nil
	}
}
