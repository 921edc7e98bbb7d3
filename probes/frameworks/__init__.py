"""One folder per framework on the measuring side: its probe, network, trial and launcher."""
