package demo

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Server serves the demo sites on a loopback address.
type Server struct {
	ln   net.Listener
	srv  *http.Server
	done chan error
}

// Start listens on addr, which must be a loopback address such as
// "127.0.0.1:8090" or "127.0.0.1:0" (any free port), and serves Handler in
// the background until Close.
func Start(addr string) (*Server, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("demo: address %q: %w", addr, err)
	}
	if !isLoopback(host) {
		return nil, fmt.Errorf("demo: address %q is not a loopback address", addr)
	}
	if _, err := loadSites(); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	s := &Server{
		ln: ln,
		srv: &http.Server{
			Handler:           Handler(),
			ReadHeaderTimeout: 5 * time.Second,
			ReadTimeout:       10 * time.Second,
			WriteTimeout:      30 * time.Second,
			IdleTimeout:       60 * time.Second,
			MaxHeaderBytes:    64 << 10,
		},
		done: make(chan error, 1),
	}
	go func() { s.done <- s.srv.Serve(ln) }()
	return s, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// URL returns the base URL of the server, e.g. "http://127.0.0.1:8090".
func (s *Server) URL() string {
	return "http://" + s.ln.Addr().String()
}

// Close stops the server, waiting up to five seconds for requests in
// flight.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if serr := <-s.done; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	if err != nil {
		return fmt.Errorf("demo: close: %w", err)
	}
	return nil
}
