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

// Ad turns the input into a validated Ad. An empty site, ID or kind takes
// site, id or KindJob.
func (in Input) Ad(site, id string) (Ad, error) {
	a := Ad{V: Version, ID: in.ID, Site: in.Site, URL: in.URL, Kind: in.Kind, Lang: in.Lang,
		Title: in.Title, Body: in.Body, Salary: in.Salary, Location: in.Location, Contact: in.Contact}
	if a.Site == "" {
		a.Site = site
	}
	if a.ID == "" {
		a.ID = id
	}
	if a.Kind == "" {
		a.Kind = KindJob
	}
	a.ContentHash = a.Hash()
	return a, a.Validate()
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
