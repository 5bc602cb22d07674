package app

func (a *App) startCampaign(sc serveContext) error { return nil }
