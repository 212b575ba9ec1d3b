#!/usr/bin/env node
// UI benchmark: frame rate while panning and dragging, and time to first render, with
// generated documents of about 625, 1,000 and 2,500 canvas nodes, in headless Debian chromium
// against the production build. Prints figures; never passes or fails on them.
//
// Run:  node bench/ui/run.mjs            (builds, serves on 127.0.0.1:4761, measures)
//       node bench/ui/run.mjs --no-build (reuse dist/)
//
// The page exposes window.__hnvBench only when its URL carries ?bench.
import { spawn, spawnSync } from 'node:child_process';
import { chromium } from '@playwright/test';

const PORT = 4761;
const SIZES = process.env.SIZES ? process.env.SIZES.split(',').map(Number) : [625, 1000, 2500];
const MEASURE_MS = 2000;

/** The n-th MAC of the Hyper-V pool (00:15:5d + 24 bits), as the model's allocator makes them. */
function mac(n) {
  const h = (n & 0xffffff).toString(16).padStart(6, '0');
  return `00:15:5d:${h.slice(0, 2)}:${h.slice(2, 4)}:${h.slice(4, 6)}`;
}

/** A datacenter whose physical view has about `nodes` nodes: hosts of 23 VMs, 10 hosts per PA subnet, one router. */
function generate(nodes) {
  const hostCount = Math.max(1, Math.round(nodes / 25));
  const subnetCount = Math.ceil(hostCount / 10);
  const vmCount = nodes - hostCount - subnetCount - 1;
  const doc = {
    version: 1,
    name: `Bench ${nodes}`,
    hnvMode: 'v2',
    tenants: [],
    vmNetworks: [],
    virtualSubnets: [],
    acls: [],
    vms: [],
    hosts: [],
    logicalNetworks: [{ id: 'ln', name: 'HNV PA' }],
    logicalSubnets: [],
    routers: [{ id: 'r', name: 'Spine', interfaces: [] }],
    layout: { physical: {}, virtual: {} },
  };
  for (let s = 0; s < subnetCount; s++) {
    const third = (s % 250) + 1;
    doc.logicalSubnets.push({
      id: `pa${s}`,
      name: `PA ${s + 1}`,
      logicalNetworkId: 'ln',
      prefix: `10.${100 + Math.floor(s / 250)}.${third}.0/24`,
      vlanId: 100 + s,
      defaultGateway: `10.${100 + Math.floor(s / 250)}.${third}.1`,
      mtu: 9000,
    });
    doc.routers[0].interfaces.push({
      logicalSubnetId: `pa${s}`,
      ip: `10.${100 + Math.floor(s / 250)}.${third}.1`,
      mac: mac(0xff0000 + s),
    });
  }
  for (let h = 0; h < hostCount; h++) {
    const s = Math.floor(h / 10);
    const prefix = doc.logicalSubnets[s].prefix.split('.').slice(0, 3).join('.');
    doc.hosts.push({
      id: `h${h}`,
      name: `Host ${h + 1}`,
      logicalSubnetId: `pa${s}`,
      teamMembers: [
        { name: 'NIC1', mac: mac(0xaa0000 + h * 2) },
        { name: 'NIC2', mac: mac(0xaa0000 + h * 2 + 1) },
      ],
      providerAddresses: [`${prefix}.${10 + (h % 10) * 2}`, `${prefix}.${11 + (h % 10) * 2}`],
    });
  }
  const perSubnet = 200;
  for (let v = 0; v < vmCount; v++) {
    const sub = Math.floor(v / perSubnet);
    if (v % perSubnet === 0) {
      doc.tenants.push({ id: `t${sub}`, name: `Tenant ${sub + 1}` });
      doc.vmNetworks.push({
        id: `n${sub}`,
        name: `Net ${sub + 1}`,
        tenantId: `t${sub}`,
        routingDomainId: `${(sub + 1).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
      });
      doc.virtualSubnets.push({
        id: `s${sub}`,
        name: `Subnet ${sub + 1}`,
        vmNetworkId: `n${sub}`,
        vsid: 5001 + sub,
        prefix: '10.1.0.0/16',
        encapsulation: 'vxlan',
      });
    }
    const i = v % perSubnet;
    doc.vms.push({
      id: `vm${v}`,
      name: `VM ${v + 1}`,
      hostId: `h${v % hostCount}`,
      nics: [
        {
          id: `nic${v}`,
          name: 'nic0',
          mac: mac(v + 1),
          caIp: `10.1.${Math.floor(i / 250)}.${(i % 250) + 2}`,
          virtualSubnetId: `s${sub}`,
        },
      ],
    });
  }
  return doc;
}

async function fps(page, action) {
  await page.evaluate(() => {
    window.__frames = 0;
    window.__counting = true;
    const tick = () => {
      if (!window.__counting) return;
      window.__frames++;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const t0 = Date.now();
  await action();
  const elapsed = Date.now() - t0;
  const frames = await page.evaluate(() => {
    window.__counting = false;
    return window.__frames;
  });
  return (frames * 1000) / elapsed;
}

async function sweep(page, from, to, ms) {
  const steps = Math.max(20, Math.round(ms / 16));
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  for (let i = 1; i <= steps; i++) {
    const t = i / steps;
    const k = t < 0.5 ? t * 2 : 2 - t * 2; // there and back
    await page.mouse.move(from.x + (to.x - from.x) * k, from.y + (to.y - from.y) * k);
  }
  await page.mouse.up();
}

async function measure(browser, size) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(`http://127.0.0.1:${PORT}/?bench&scenario=empty`);
  await page.waitForFunction(() => Boolean(window.__hnvBench));
  const doc = generate(size);
  const firstRenderMs = await page.evaluate(async (d) => {
    const t0 = performance.now();
    window.__hnvBench.load(d);
    await new Promise((resolve) => {
      const check = () => (window.__hnvBench.nodeCount() > 0 ? resolve() : requestAnimationFrame(check));
      requestAnimationFrame(check);
    });
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return performance.now() - t0;
  }, doc);
  await page.waitForTimeout(800); // let fitView settle
  const box = await page.locator('.react-flow__pane').boundingBox();
  const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  const rendered = await page.evaluate(() => window.__hnvBench.nodeCount());

  const result = { size, firstRenderMs, renderedAtFit: rendered };
  result.panFitFps = await fps(page, () =>
    sweep(page, centre, { x: centre.x + 300, y: centre.y + 120 }, MEASURE_MS),
  );

  // Working zoom (1:1) over part of the datacenter: full node detail.
  await page.evaluate(() => undefined);
  for (let i = 0; i < 6; i++) await page.getByRole('button', { name: /zoom in/i }).click();
  await page.waitForTimeout(400);
  result.renderedAtWorkingZoom = await page.evaluate(() => window.__hnvBench.nodeCount());
  result.panWorkingFps = await fps(page, () =>
    sweep(page, centre, { x: centre.x - 300, y: centre.y - 100 }, MEASURE_MS),
  );

  const host = page.locator('.react-flow__node-host').first();
  const hb = await host.boundingBox();
  if (hb) {
    const grip = { x: hb.x + 40, y: hb.y + 12 };
    result.dragFps = await fps(page, () =>
      sweep(page, grip, { x: grip.x + 250, y: grip.y + 80 }, MEASURE_MS),
    );
  }
  await page.close();
  return result;
}

if (!process.argv.includes('--no-build')) {
  const b = spawnSync('npx', ['vite', 'build'], { stdio: 'ignore' });
  if (b.status !== 0) throw new Error('vite build failed');
}
const server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort'], {
  stdio: 'ignore',
  detached: true,
});
try {
  for (let i = 0; i < 60; i++) {
    try {
      await fetch(`http://127.0.0.1:${PORT}/`);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  console.log('HNV Lab UI benchmark (headless chromium, software rendering, 1440x900)');
  for (const size of SIZES) {
    const r = await measure(browser, size);
    console.log(
      `${String(r.size).padStart(5)} nodes: first render ${r.firstRenderMs.toFixed(0)} ms | ` +
        `pan at fit ${r.panFitFps.toFixed(1)} fps (${r.renderedAtFit} nodes in DOM) | ` +
        `pan at 1:1 ${r.panWorkingFps.toFixed(1)} fps (${r.renderedAtWorkingZoom} in DOM) | ` +
        `drag host ${r.dragFps?.toFixed(1) ?? 'n/a'} fps`,
    );
  }
  await browser.close();
} finally {
  try {
    process.kill(-server.pid);
  } catch {
    server.kill();
  }
}
