package app

func (a *App) startScreening(sc serveContext) error { return nil }
