// The data plane's old import path for network arithmetic: thin re-exports of ../net, kept
// until src/engine/dataplane (being rebuilt) imports ../net itself.
export {
  derivedGatewayMac as routerMac,
  formatIpv4 as u32ToIp,
  ipv4ToNumber as ipToU32,
  macToBytes,
  prefixOf as parsePrefix,
} from '../net';
