"""Checkable exercises: each chapter ends with questions a learner answers in a cell and checks here."""
