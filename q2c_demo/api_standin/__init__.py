"""Local stand-ins for the four source systems' APIs (Salesforce, Harvest, NetSuite, Stripe),
serving demo data over real HTTP so API mode can be run and tested without the real systems."""

from q2c_demo.api_standin.dataset import StandinDataset
from q2c_demo.api_standin.server import Faults, LoggedRequest, StandinServers

__all__ = ["Faults", "LoggedRequest", "StandinDataset", "StandinServers"]
