"""The regulator's side (issue 13): quality figures, supervised cases, rectifications."""
