"""Where a session's address is, roughly: a country, "Local network", or nothing.

The country comes from iptocc: the five Regional Internet Registries' allocations, built
into the package (no file to download, no network call; a newer iptocc release carries
newer data). It is the country an address block is registered to, which is right for the
large majority of home and mobile connections and wrong for some VPNs and company
networks, so it is shown as a hint beside the address, never instead of it.
"""

from __future__ import annotations

import ipaddress

import iptocc
from flask_babel import gettext as _

from jetaa.members.choices import country_names

# RFC 1918 and IPv6 unique local addresses: a home, an office, the site's own network.
# (Carrier-grade NAT's 100.64.0.0/10 is also used by VPNs: it is left unnamed.)
_LOCAL = tuple(ipaddress.ip_network(net) for net in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"))


def place_of(address: str | None) -> str:
    """The country of `address` in the reader's language, "Local network" for a private or
    loopback address, and "" when it cannot be told (unallocated, reserved, not an address)."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return ""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback or ip.is_link_local or any(ip in net for net in _LOCAL
                                                 if net.version == ip.version):
        return _("Local network")
    if not ip.is_global:
        return ""
    code = iptocc.country_code(str(ip))
    # Only ISO 3166 countries: a registry's "EU" or "AP" block says too little to name.
    return country_names().get(code or "", "")
