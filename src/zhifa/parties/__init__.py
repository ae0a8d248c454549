"""Parties (监管对象): enterprises, individual businesses and persons, with their credit risk colour."""
