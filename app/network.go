package app

func (a *App) startNetwork(sc serveContext) error { return nil }
