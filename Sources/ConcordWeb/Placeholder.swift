enum _PlaceholderConcordWeb {}
