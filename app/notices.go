package app

func (a *App) startNotices(sc serveContext) error { return nil }
