// The cast and the content of the forum the suite runs against: a consultation on protecting
// critical infrastructure with contributions from civil society, academia, a Member State, the
// private sector and the Commission's official answer, and discussions under the other objectives
// (topics from the Internal Security Strategy and its 2014 implementation report).
import { Api } from './api.mjs';

export const PASSWORD = 'correct horse battery staple 2026';

// Created with `forumd user create` before the server starts.
export const STAFF = {
  admin: {
    email: 'chair@commission.example.eu', password: PASSWORD, displayName: 'Ana Moreira', role: 'admin',
    stakeholderType: 'commission', organisation: 'European Commission, DG Migration and Home Affairs', country: 'BE',
  },
  moderator: {
    email: 'secretariat@commission.example.eu', password: PASSWORD, displayName: 'Pieter de Vries', role: 'moderator',
    stakeholderType: 'commission', organisation: 'European Commission, Forum secretariat', country: 'NL',
  },
};

// Registered through the API.
export const MEMBERS = {
  civil: {
    email: 'marta.kowalska@rights.example.org', password: PASSWORD, displayName: 'Marta Kowalska',
    stakeholderType: 'civil_society', organisation: 'European Network for Rights in Security Policy', country: 'PL',
  },
  academic: {
    email: 'j.becker@resilience.example.edu', password: PASSWORD, displayName: 'Dr Jonas Becker',
    stakeholderType: 'academia', organisation: 'Centre for Resilience Studies, University of Graz', country: 'AT',
  },
  memberState: {
    email: 'kadri.tamm@interior.example.ee', password: PASSWORD, displayName: 'Kadri Tamm',
    stakeholderType: 'member_state', organisation: 'Ministry of the Interior of Estonia', country: 'EE',
  },
  operator: {
    email: 'lena.fischer@grid.example.eu', password: PASSWORD, displayName: 'Lena Fischer',
    stakeholderType: 'private_sector', organisation: 'Association of Baltic Grid Operators', country: 'LV',
    transparencyRegisterId: '123456789012-34',
  },
  agency: {
    email: 'n.papadakis@agency.example.eu', password: PASSWORD, displayName: 'Nikos Papadakis',
    stakeholderType: 'eu_agency', organisation: 'EU agency for cybersecurity, liaison office', country: 'GR',
  },
  citizen: {
    email: 'jean.martin@example.fr', password: PASSWORD, displayName: 'Jean Martin',
    stakeholderType: 'citizen', country: 'FR',
  },
  spammer: {
    email: 'deals@vpn-offers.example.com', password: PASSWORD, displayName: 'SecureDeals24',
    stakeholderType: 'private_sector', organisation: 'SecureDeals24',
  },
};

const DAY = 24 * 3600 * 1000;

// A fresh participant for one journey: unique email, registered through the API.
let serial = 0;
export async function newMember(base, { displayName, stakeholderType = 'civil_society', organisation, country } = {}) {
  serial += 1;
  const tag = `${Date.now().toString(36)}${serial}`;
  const person = {
    email: `participant-${tag}@example.org`, password: PASSWORD,
    displayName: displayName || `Participant ${serial}`, stakeholderType, organisation, country,
  };
  const user = await new Api(base).register(person);
  person.id = user.id;
  return person;
}

export async function createStaff(forumd) {
  for (const person of Object.values(STAFF)) {
    person.id = await forumd.createUser(person);
  }
}

// Fills the forum. Returns what the journeys and the page sweep refer to.
export async function seed(base) {
  const anon = new Api(base);
  for (const person of Object.values(MEMBERS)) {
    person.id = (await anon.register(person)).id;
  }
  const as = {};
  for (const [key, person] of Object.entries({ ...STAFF, ...MEMBERS })) {
    as[key] = await anon.signIn(person.email, person.password);
  }

  // ---- The consultation (objective 5, all-hazard approach) ----
  const closes = new Date(Date.now() + 21 * DAY);
  closes.setUTCHours(16, 0, 0, 0);
  const consultation = await as.admin.createThread('crisis-resilience', {
    keyAction: 'all-hazard-assessment',
    closesAt: closes,
    title: 'Consultation: protecting critical infrastructure in the renewed Internal Security Strategy',
    body: [
      'The renewed Internal Security Strategy for 2015-2020 will build on the **new approach to the European Programme for Critical Infrastructure Protection (EPCIP)** and its four pilot cases. Before the High-Level Conference, the Commission would like to hear from everyone who operates, protects or studies critical infrastructure.',
      '',
      'We would welcome your views in particular on:',
      '',
      '1. which interdependencies between sectors (energy, transport, digital networks) an all-hazard risk assessment must cover;',
      '2. how operators, Member State authorities and EU agencies should share information on incidents and near misses;',
      '3. how fundamental rights and transparency are best safeguarded in this work.',
      '',
      'Contributions are published as received. The Commission will publish its answer in this thread.',
    ].join('\n'),
  });
  const cThread = consultation.thread;
  const opening = consultation.post;
  const civilPost = await as.civil.reply(cThread.id, [
    'Resilience work must not become a blank cheque for surveillance. We ask that every new information-sharing arrangement between operators and authorities comes with:',
    '',
    '- a published list of the categories of data exchanged,',
    '- a retention limit, and',
    '- independent oversight by the data protection authorities.',
    '',
    'The solidarity clause (Article 222 TFEU) already gives a framework for cooperation in a crisis; it should be used before new databases are built.',
  ].join('\n'), { parent: opening, language: 'en' });
  const academicPost = await as.academic.reply(cThread.id, [
    'I agree with the call for oversight, and would add evidence. Our comparison of national risk assessments found that only a third model *cascading failures* between the power grid and telecommunications, although that is where most of the damage came from in the storms of the last decade.',
    '',
    'An all-hazard approach needs shared scenarios across Member States, otherwise the assessments cannot be compared.',
  ].join('\n'), { parent: civilPost, language: 'en' });
  await as.memberState.reply(cThread.id, [
    'From the perspective of a Member State with a small administration: the pilot cases were useful, but the reporting burden must stay proportionate. Estonia would support a single EU template for incident notifications that also serves the NIS reporting obligations, so that operators report once.',
  ].join('\n'), { parent: opening, language: 'en' });
  const operatorPost = await as.operator.reply(cThread.id, [
    'Grid operators already exchange near-miss information regionally. What we lack is a secure channel to national situation centres and to the EU level. A common classification of incidents would help more than another reporting portal.',
  ].join('\n'), { parent: opening, language: 'en' });
  await as.agency.reply(cThread.id, [
    'For the digital layer, the national CSIRTs network can carry much of this exchange today. We would be glad to contribute to a joint scenario exercise with operators of the energy sector.',
  ].join('\n'), { parent: operatorPost, language: 'en' });
  const official = await as.admin.reply(cThread.id, [
    'Thank you for these contributions. The Commission takes three points forward into the renewed strategy:',
    '',
    '1. **Shared scenarios.** The all-hazard risk assessment guidelines will include cross-sector scenarios with cascading failures between energy and digital networks.',
    '2. **Report once.** We will propose a common incident classification aligned with the NIS reporting obligations, so that operators notify once.',
    '3. **Safeguards.** Every information-sharing arrangement will list the data exchanged and its retention period, under the supervision of the data protection authorities.',
    '',
    'The consultation stays open until its closing date; further contributions remain welcome.',
  ].join('\n'), { parent: opening, official: true, language: 'en' });
  await as.civil.reply(cThread.id, 'Welcome commitments, in particular on retention periods. We will follow the guidelines closely.', { parent: official, language: 'en' });

  // ---- Other discussions ----
  const cyber = await as.operator.createThread('cyberspace', {
    keyAction: 'work-with-industry',
    title: 'Under-reporting of cybercrime by small and medium-sized businesses',
    body: 'The 2014 report notes that victims under-report cybercrime. In our sector, small suppliers rarely report ransomware incidents, fearing reputational damage. What has worked elsewhere to lower that barrier: anonymous reporting, a single national contact point, or sector associations reporting on behalf of members?',
  });
  await as.agency.reply(cyber.thread.id, 'National cybercrime centres that accept reports through sector associations have seen more reports. The Budapest Convention also helps investigators follow up across borders once a report exists.', { parent: cyber.post });
  await as.citizen.reply(cyber.thread.id, 'As a citizen I never know whom to call after an online fraud. A single number, as for emergencies, would help.', { parent: cyber.post });
  const spam = await as.spammer.reply(cyber.thread.id, 'Protect your business today!!! Best VPN deals, 80% off for forum readers, click our link for the offer of the year.', { parent: cyber.post });

  const assets = await as.memberState.createThread('crime-networks', {
    keyAction: 'confiscate-assets',
    title: 'Sharing practice between Asset Recovery Offices',
    body: 'Asset Recovery Offices now exist in every Member State. Which practices have made the tracing of criminal proceeds across borders faster, and what still blocks the execution of confiscation orders?',
  });
  await as.academic.reply(assets.thread.id, 'Direct access to bank account registers made the largest difference in the Member States we studied. Non-conviction-based confiscation remains the main legal obstacle to mutual recognition.', { parent: assets.post });

  const prevention = await as.civil.createThread('terrorism-radicalisation', {
    keyAction: 'empower-communities',
    title: 'Local prevention work and the Radicalisation Awareness Network',
    body: 'Youth workers and teachers in our network ask for practical material on preventing radicalisation, in their own languages. How could the proposed European Knowledge Hub reach practitioners at local level?',
  });
  await as.citizen.reply(prevention.thread.id, 'Schools need people they can call, not only documents. Local contact points would be most useful.', { parent: prevention.post, anonymous: true });

  const borders = await as.civil.createThread('border-management', {
    keyAction: 'eurosur',
    title: 'EUROSUR and the protection of migrants\u2019 lives at sea',
    body: 'EUROSUR aims to reduce irregular migration, prevent cross-border crime and protect migrants\u2019 lives. How is the third aim measured, and are search and rescue organisations part of the information picture?',
  });
  await as.memberState.reply(borders.thread.id, 'National coordination centres share their situational picture with the rescue coordination centres; we would support publishing yearly figures on rescues in which EUROSUR information was used.', { parent: borders.post });

  // Flags for the moderators' queue (two, so that the post is not hidden automatically).
  await as.citizen.post(`/posts/${spam.id}/flags`, { reason: 'spam' });
  await as.academic.post(`/posts/${spam.id}/flags`, { reason: 'other', text: 'Advertising unrelated to the discussion.' });

  return {
    as,
    consultation: { thread: cThread, opening, official, civilPost, academicPost },
    cyber: cyber.thread,
    spam,
  };
}
