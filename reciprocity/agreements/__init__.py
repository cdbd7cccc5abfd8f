"""Bilateral agreements between two organisations (schemes, period, yearly quota each way,
imbalance tolerance) and the programmes (WECCEE, PrODDige, EnLAzando...) that group them."""
