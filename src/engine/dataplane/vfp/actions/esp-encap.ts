// esp-encap / esp-decap: a site-to-site IPsec tunnel of the RAS gateway (RFC 4303 tunnel mode):
// outer IPv4 gateway -> site edge, ESP with the SA's SPI and sequence number, the inner packet
// encrypted. Built by dataplane/gateway/frames.ts.
import type { ActionHandler } from '../walk';

export const espEncap: ActionHandler<'esp-encap'> = {
  type: 'esp-encap',
  describe: (a) =>
    `encap ESP SPI 0x${a.spi.toString(16).padStart(8, '0')} seq ${a.sequence} ${a.src} -> ${a.dst}`,
};

export const espDecap: ActionHandler<'esp-decap'> = {
  type: 'esp-decap',
  describe: (a) => `decap ESP SPI 0x${a.spi.toString(16).padStart(8, '0')} seq ${a.sequence}`,
};
