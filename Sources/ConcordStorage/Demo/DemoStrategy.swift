import ConcordDomain
import Foundation

/// The Kent Community Safety Agreement as the packs record it: the 2011–14 agreement with its priorities, themes,
/// leads, action plan (aims 1–18 with the October 2013 and July 2014 progress, shortened) and the performance
/// tables of the 17 October 2013 and 8 July 2014 appendices with their commentary; the 2014–17 agreement's
/// priorities, themes, leads, plans, signatories and strategic assessment tally; and the rolling agreement from
/// April 2017 with its version history to the 2023 refresh, lineage of priorities and themes, leads (two TBC), the
/// 2023 tally and the PESTELO horizon scan.
///
/// The papers give the tallies as counts only, so which CSP chose which issue is the demo's own (the counts are
/// the papers'); they give no MoRiLE scores, so none are loaded. Action statuses follow the October 2013 report
/// (3.1: aims 2, 3 and 8 complete, the rest in progress).
enum DemoStrategy {
    static func day(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }

    static func load(into database: ConcordDatabase, agencies: [String: Int64]) async throws {
        let store = StrategyStore(database: database)
        let audit = AuditContext.commandLine
        let csps = try await DirectoryStore(database: database).cspAreas().filter { $0.name != "Medway" }.map(\.id)
        try await load2011(store, agencies: agencies, audit: audit)
        try await load2014(store, csps: csps, audit: audit)
        try await loadRolling(store, csps: csps, audit: audit)
    }

    // MARK: 2011–14

    static func load2011(_ store: StrategyStore, agencies: [String: Int64], audit: AuditContext) async throws {
        let agreement = try await store.createAgreement(title: "Kent Community Safety Agreement 2011-14", startsOn: day("2011-04-01"),
                                                        endsOn: day("2014-03-31"), audit: audit)
        try await store.addVersion(agreementId: agreement, number: "1.0", effectiveOn: day("2011-04-01"), status: .published,
                                   changes: [VersionChange(section: "Agreement", text: "Approved by the KCSP in May 2011")], audit: audit)
        func priority(_ name: String, _ role: String?, _ person: String? = nil) async throws -> Int64 {
            try await store.addTopic(Topic(id: 0, agreementId: agreement, kind: .priority, name: name, leadRole: role, leadPerson: person,
                                           lineage: [LineageEvent(kind: .created, year: 2011)]), audit: audit)
        }
        let asb = try await priority("Anti-Social Behaviour including Environmental", "KCC and Kent Police")
        let da = try await priority("Domestic Abuse", "Chair of Kent & Medway Domestic Abuse Strategy Group", "Stuart Skilton")
        let substance = try await priority("Substance Misuse", "Head of Kent Drug and Alcohol Action Team", "Diane Wright")
        let acquisitive = try await priority("Acquisitive Crime", "Head of Partnership and Communities Command, Kent Police", "C.Supt Sean Beautridge")
        let violent = try await priority("Violent Crime", "Head of Partnership and Communities Command, Kent Police", "C.Supt Sean Beautridge")
        let road = try await priority("Road Safety", "Director Operations, Kent Fire and Rescue Service", "Sean Bone-Knell")
        var themes: [String: Int64] = [:]
        for name in ["Early intervention, prevention & education", "Priority Neighbourhoods/Geographic Focus", "Vulnerable Households & Individuals",
                     "Safeguarding Children & Young People", "Reducing Re-Offending"] {
            themes[name] = try await store.addTopic(Topic(id: 0, agreementId: agreement, kind: .theme, name: name,
                                                          lineage: [LineageEvent(kind: .created, year: 2011)]), audit: audit)
        }

        // The action plan: aims 1–18, one action each, with progress as the two appendices report it.
        let kcc = agencies["Kent County Council"], police = agencies["Kent Police"], fire = agencies["Kent Fire and Rescue Service"]
        let plan: [(priority: Int64, lead: Int64?, aim: String, action: String, theme: String, october: String, july: String)] = [
            (asb, kcc, "Countywide ASB Case Management system established to enable data sharing across all agencies of incidents and actions taken",
             "Develop a countywide case management system: piloted in a designated area, then rolled out countywide", "Priority Neighbourhoods/Geographic Focus",
             "Training on the new system is being rolled out to police officers; KCC will take the lead on roll out with partners.",
             "The ASB case management system is fully in place with Kent Police staff. KCC will take the lead on roll out with partners; a number of Districts are keen to join THEMIS."),
            (asb, kcc, "Countywide ASB strategy established to ensure consistency in reporting and dealing with ASB issues across all agencies",
             "Develop a countywide multi-agency strategy agreed by all partners", "Early intervention, prevention & education",
             "The Strategy is in place and there are work-streams in place to support the strategy.",
             "The Strategy is in place. Recent analysis (June 2014) shows Kent Police spends approx. 6,400 hours of officer time a year on noise complaints."),
            (da, kcc, "Provide support to victims of domestic abuse through one generic pathway to provide and access advice and support",
             "Create a website portal for all domestic abuse services for Kent and Medway", "Vulnerable Households & Individuals",
             "The website is in operation and was launched on 28 November 2012; the young people's section is being developed.",
             "The young people's section of the website was completed in October 2013 following a consultation exercise."),
            (da, kcc, "Protect victims of domestic abuse through specialist support services through both criminal and civil justice routes",
             "Ongoing training for staff; increased provision of Specialist Domestic Violence Courts (SDVC); Parenting Information Programme",
             "Vulnerable Households & Individuals",
             "From the first week of July all areas of Kent and Medway will be covered by SDVC arrangements.",
             "All areas of Kent and Medway are covered by SDVC arrangements; training is monitored by the County SDVC Project Board."),
            (da, kcc, "Work with agencies to secure a sustainable level of financial and operational commitment to address domestic abuse",
             "Establish a sustainable domestic abuse budget with a centralised joint commissioning process", "Vulnerable Households & Individuals",
             "A pooled budget commissions Kent and Medway IDVA services; the contract was awarded in April 2013.",
             "Quarterly IDVA performance reports go to funding partners; a MARAC lean event in March 2014 examined options for funding MARACs from April 2015."),
            (substance, kcc, "Improve understanding of local prevalence of problematic drug use in Kent",
             "Central management and analysis of needle drops data collected by each local authority and KCC waste management",
             "Priority Neighbourhoods/Geographic Focus",
             "CSPs continue to discuss drugs litter finds with local commissioned treatment agencies.",
             "A Kent adult substance misuse needs assessment for 2012/13 found at least 2,100 people registered with 53 needle and syringe programmes."),
            (substance, kcc, "Increase the uptake of substance misuse services available for people with drug and/or alcohol problems",
             "Work with police custody suites to refer detainees into the Drug Intervention Programme and Alcohol Arrest Referral Service",
             "Reducing Re-Offending",
             "The Drug Testing on Arrest pilot at Margate custody suite has been extended for a second year.",
             "1,046 clients were referred into treatment via criminal justice routes in 2012/13; the Margate pilot continues into its third year."),
            (substance, kcc, "Increase the uptake of substance misuse services available for people with drug and/or alcohol problems",
             "Promote the Alcohol and Cannabis Penalty Notice for Disorder (PND) diversion scheme", "Reducing Re-Offending",
             "The Alcohol and Cannabis Diversion Scheme has operated locally within Kent since 1 September 2013.",
             "Uptake in the first six months was lower than expected; the scheme will be promoted with the new local policing model."),
            (substance, kcc, "Increase the uptake of substance misuse services available for people with drug and/or alcohol problems",
             "Community safety partnerships to promote and raise awareness of local substance misuse services", "Early intervention, prevention & education",
             "Commissioned treatment agencies continue to attend CSP meetings, promoting services and referral routes.",
             "Collaboration has been achieved in all CSP areas in promoting services during awareness weeks."),
            (acquisitive, police, "Reduce Burglary incidents both residential and non-residential",
             "Share information and target individuals committing crime; increase security at vulnerable premises", "Reducing Re-Offending",
             "Kent Police are prioritising burglary in the STAY SAFE in Autumn campaign from 21 October.",
             "Kent Police prioritise burglary county wide; it remains a key theme in summer 2014 crime reduction plans."),
            (acquisitive, police, "Reduce levels of shoplifting and focus on prevention and deterrence",
             "Provide advice on designing out crime; pursue banning orders", "Priority Neighbourhoods/Geographic Focus",
             "The majority of Neighbourhood policing teams can now carry out crime prevention surveys.",
             "400 of our Neighbourhood policing teams are now able to carry out crime prevention surveys in domestic settings."),
            (acquisitive, police, "Reduce theft of metal",
             "Participate in the metal days of action led by British Transport Police; educate Scrap Metal Dealers regarding the law",
             "Priority Neighbourhoods/Geographic Focus",
             "Kent Police continue to work with British Transport Police on the national programme to tackle metal theft.",
             "Metal theft has reduced by 47% (965 fewer reported incidents); a single point of contact supports District licensing."),
            (violent, police, "Reduce alcohol related violence",
             "Ensure premises are managed in accordance with legislation; encourage polycarbonate drinks vessels", "Priority Neighbourhoods/Geographic Focus",
             "A new Kent Community Alcohol Partnership area was launched in Gravesham in September.",
             "The KCAP Board agreed a new CAP in Swanley; a task and finish group looks at new ways to reduce alcohol related violence."),
            (violent, police, "Engage with young people as victims, citizens and offenders to understand the picture of violent crime involving young people",
             "Progress youth engagement in schools; work with partners to divert young people at risk", "Safeguarding Children & Young People",
             "Over 100,000 students have been reached by the 'Is it worth it?' ASB School Tour.",
             "The 2014 school tour focuses on violence and exploitation from an e-safety perspective; 'Breaking the Cycle' has been rolled out across Kent and Medway schools."),
            (violent, police, "Prevent first time offending, prevent re-offending and reduce the risk of young people becoming victims of violent crime",
             "Use education, diversionary and restorative approaches as well as enforcement against those who sell alcohol to young people",
             "Safeguarding Children & Young People",
             "Kent Police target under-age sales with Trading Standards and progress Challenge 25 with retailers.",
             "This continues to be daily business for Kent Police; proxy sales remain a problem."),
            (road, fire, "Increase road safety amongst vulnerable and high risk road user groups",
             "Expand the License 2 Kill programme; promote powered two-wheeler safety; explore a Kent Road Safety Centre",
             "Early intervention, prevention & education",
             "License to Kill is expanding through mini school based events; the 2013 target is 12,000 students.",
             "Over 30,000 young people have seen License to Kill; building of the Road Safety Experience is expected to start in September 2014."),
            (road, fire, "Increase the opportunities for training for Kent's road users",
             "Increase the range of driver awareness courses as an alternative to enforcement and penalties", "Early intervention, prevention & education",
             "The CaRe group continues to target vulnerable road users.",
             "The Road Safety Experience will provide new opportunities for driver training and alternatives to prosecution."),
            (road, fire, "Raise the profile of road safety amongst district and community safety groups",
             "Produce district profiles of high risk areas and individuals; expand Speed Watch", "Priority Neighbourhoods/Geographic Focus",
             "District profiles have been updated and distributed to CSPs; a Speed Watch conference was held in April 2013.",
             "Speed Watch has grown from 25 schemes in 2011 to 153 in 2014, with 820 practitioners."),
        ]
        let complete: Set<Int> = [2, 3, 8]
        for (index, entry) in plan.enumerated() {
            let number = index + 1
            let aim = try await store.addAim(agreementId: agreement, priorityId: entry.priority, number: number, text: entry.aim, audit: audit)
            let action = try await store.addAction(aimId: aim, text: entry.action, leadAgencyId: entry.lead, timescale: .year(2014),
                                                   themeIds: [themes[entry.theme]!], year: 2013, audit: audit)
            let principal = Principal(userId: 0, agencyId: 0, roles: [.partnershipManager], displayName: "Demo")
            let status: ActionStatus = complete.contains(number) ? .complete : .inProgress
            try await store.recordProgress(actionId: action, expectedVersion: 1, on: day("2013-10-17"), status: status, text: entry.october,
                                           principal: principal, audit: audit)
            try await store.recordProgress(actionId: action, expectedVersion: 2, on: day("2014-07-08"), status: status, text: entry.july,
                                           principal: principal, audit: audit)
        }

        // The measures of the two appendices.
        func measure(_ priority: Int64, _ name: String, _ unit: MeasureUnit, _ polarity: Polarity, _ kinds: Set<PeriodKind>, baseline: (String, Double),
                     practitionerOnly: Bool = false, geography: String? = "Kent excluding Medway") async throws -> Int64 {
            try await store.addMeasure(Measure(id: 0, agreementId: agreement, priorityId: priority, name: name, geography: geography, unit: unit,
                                               polarity: polarity, source: nil, periodKinds: kinds, baseline: Baseline(label: baseline.0, value: baseline.1),
                                               isPractitionerOnly: practitionerOnly), audit: audit)
        }
        func fy(_ id: Int64, _ label: String, _ value: Double, display: String? = nil, unvalidated: Bool = false) -> MeasureValue {
            MeasureValue(measureId: id, period: StrategyRules.period(.financialYear, label: label)!, value: value, display: display, isUnvalidated: unvalidated)
        }
        func custom(_ id: Int64, _ heading: String, _ label: String, _ endsOn: String, _ value: Double) -> MeasureValue {
            MeasureValue(measureId: id, period: StrategyRules.period(.custom, label: label, endsOn: day(endsOn))!, heading: heading, value: value)
        }
        func note(_ id: Int64, _ on: String, _ text: String, isNote: Bool = false) async throws {
            try await store.addCommentary(Commentary(measureId: id, on: day(on), text: text, isNote: isNote), audit: audit)
        }
        let perception = try await measure(asb, "Percentage of people who perceive a high level of ASB in their local area (KCVS)", .percentage,
                                           .lowerIsBetter, [.financialYear], baseline: ("'10/11", 4.5))
        let satisfaction = try await measure(asb, "Percentage of victims and witnesses who report ASB satisfied with the overall service provided",
                                             .percentage, .higherIsBetter, [.financialYear, .custom], baseline: ("'11/12", 78.7))
        try await store.retireMeasure(id: perception, replacedBy: satisfaction, audit: audit)
        let incidents = try await measure(da, "Number of Domestic Abuse Incidents", .count, .lowerIsBetter, [.financialYear, .custom],
                                          baseline: ("'10/11", 18_376))
        let repeatVictims = try await measure(da, "% of repeat victims of Domestic Abuse", .percentage, .lowerIsBetter, [.financialYear, .custom],
                                              baseline: ("'10/11", 24.0))
        let repeatMARAC = try await measure(da, "% of repeat MARAC cases (Multi-Agency Risk Assessment Conference)", .percentage, .lowerIsBetter,
                                            [.financialYear, .custom], baseline: ("'10/11", 14.9))
        let drugs = try await measure(substance, "No. of drug users completing treatment successfully", .count, .higherIsBetter, [.quarter],
                                      baseline: ("'11/12", 887), practitionerOnly: true, geography: "Kent")
        let alcohol = try await measure(substance, "No. of alcohol users completing treatment successfully", .count, .higherIsBetter, [.quarter],
                                        baseline: ("'11/12", 958), practitionerOnly: true, geography: "Kent")
        let representing = try await measure(substance, "Proportion of drug users completing treatment successfully who do not re-present within 6 months",
                                             .percentage, .higherIsBetter, [.month], baseline: ("Apr 2012", 24.6), practitionerOnly: true, geography: "Kent")
        let theft = try await measure(acquisitive, "Level of Theft and Handling Stolen Goods", .count, .lowerIsBetter, [.financialYear, .custom],
                                      baseline: ("'10/11", 25_335))
        let burglary = try await measure(acquisitive, "Level of Domestic Burglary", .count, .lowerIsBetter, [.financialYear, .custom],
                                         baseline: ("'10/11", 4_354))
        let violence = try await measure(violent, "Level of Violent Crime", .count, .lowerIsBetter, [.financialYear, .custom], baseline: ("'10/11", 16_715))
        let vap = try await measure(violent, "Level of Violence against the Person (VAP)", .count, .lowerIsBetter, [.financialYear, .custom],
                                    baseline: ("'10/11", 14_946))
        let ksi = try await measure(road, "Number of all KSI casualties (killed or seriously injured)", .count, .lowerIsBetter,
                                    [.financialYear, .calendarYear], baseline: ("(Jan-Dec '10)", 545))
        try await store.restateBaseline(measureId: ksi, newValue: 547, on: day("2014-06-30"),
                                        note: "due to recent cross checks in the severity of recorded collisions", audit: audit)
        let julyJune = "July – June", sepAug = "Sep - Aug"
        try await store.addValues([
            fy(perception, "2011/12", 2.4), fy(perception, "2012/13", 2.0),
            custom(satisfaction, julyJune, "2011/12", "2012-06-30", 80.8), custom(satisfaction, julyJune, "2012/13", "2013-06-30", 81.1),
            fy(satisfaction, "2012/13", 82.2), fy(satisfaction, "2013/14", 80.5),
            custom(incidents, sepAug, "2011/12", "2012-08-31", 18_881), custom(incidents, sepAug, "2012/13", "2013-08-31", 19_375),
            fy(incidents, "2012/13", 19_259), fy(incidents, "2013/14", 20_276),
            custom(repeatVictims, sepAug, "2011/12", "2012-08-31", 24.1), custom(repeatVictims, sepAug, "2012/13", "2013-08-31", 24.3),
            fy(repeatVictims, "2012/13", 24.2), fy(repeatVictims, "2013/14", 24.8),
            custom(repeatMARAC, sepAug, "2011/12", "2012-08-31", 19.7), custom(repeatMARAC, sepAug, "2012/13", "2013-08-31", 21.7),
            fy(repeatMARAC, "2012/13", 22.4), fy(repeatMARAC, "2013/14", 23),
            MeasureValue(measureId: drugs, period: StrategyRules.period(.quarter, label: "Q4 2012/13")!, value: 618),
            MeasureValue(measureId: drugs, period: StrategyRules.period(.quarter, label: "Q1 2013/14")!, value: 577, display: "577 (20%)"),
            MeasureValue(measureId: alcohol, period: StrategyRules.period(.quarter, label: "Q4 2012/13")!, value: 844),
            MeasureValue(measureId: alcohol, period: StrategyRules.period(.quarter, label: "Q1 2013/14")!, value: 747, display: "747 (40.3%)"),
            MeasureValue(measureId: representing, period: StrategyRules.period(.month, label: "2013-04")!, value: 22.3),
            MeasureValue(measureId: representing, period: StrategyRules.period(.month, label: "2013-06")!, value: 21.7),
            custom(theft, julyJune, "2011/12", "2012-06-30", 24_823), custom(theft, julyJune, "2012/13", "2013-06-30", 23_704),
            fy(theft, "2012/13", 23_491), fy(theft, "2013/14", 24_482),
            custom(burglary, julyJune, "2011/12", "2012-06-30", 4_417), custom(burglary, julyJune, "2012/13", "2013-06-30", 5_548),
            fy(burglary, "2012/13", 5_294), fy(burglary, "2013/14", 5_322),
            custom(violence, julyJune, "2011/12", "2012-06-30", 16_427), custom(violence, julyJune, "2012/13", "2013-06-30", 18_262),
            fy(violence, "2012/13", 17_537), fy(violence, "2013/14", 23_914),
            custom(vap, julyJune, "2011/12", "2012-06-30", 14_658), custom(vap, julyJune, "2012/13", "2013-06-30", 16_199),
            fy(vap, "2012/13", 15_660), fy(vap, "2013/14", 21_199),
            fy(ksi, "2011/12", 517), fy(ksi, "2012/13", 531, unvalidated: true),
            MeasureValue(measureId: ksi, period: StrategyRules.period(.calendarYear, label: "2012")!, value: 524),
            MeasureValue(measureId: ksi, period: StrategyRules.period(.calendarYear, label: "2013")!, value: 594),
        ], audit: audit)

        try await note(perception, "2013-10-17", "The percentage of people who perceive a high level of ASB in their local area has decreased across Kent since 2010/11 from 4.5% to 2% at the end of 2012/13. The greatest improvement has been in Gravesham, Thanet and Swale.")
        try await note(perception, "2013-10-17", "This proxy measure is no longer monitored; an indicator on victim satisfaction with Kent Police replaces it for the remainder of the CSA.", isNote: true)
        try await note(satisfaction, "2013-10-17", "Satisfaction of victims and witnesses who report ASB continues to be very positive, with a 2.4% uplift on the baseline. Canterbury and Shepway show slightly lower levels (74.0% and 73.7%).")
        try await note(satisfaction, "2014-07-08", "Satisfaction continues to be positive and slightly above the baseline. Attendance time, a lack of perceived action and a lack of updates are themes among non-satisfied victims and witnesses.")
        try await note(incidents, "2013-10-17", "Due to changes to the definition of domestic abuse, incidents now include 16-17 year olds and the baseline has been adjusted accordingly.", isNote: true)
        try await note(incidents, "2013-10-17", "During the last 12 months (Sep '12 to Aug '13) domestic abuse incidents increased in nine of the districts/boroughs; the greatest increase was in Gravesham (up 10.8%).")
        try await note(incidents, "2014-07-08", "During the last 12 months (April 2013 to March 2014) domestic abuse incidents increased in all 12 districts/boroughs; the greatest increase was in Dover (up 10.5%), closely followed by Thanet (up 9.8%).")
        try await note(repeatMARAC, "2013-10-17", "Over the last 12 months (Sep '12 – Aug '13) there have been 1,104 MARAC cases with 240 repeat cases (21.7%), a 22.5% increase in cases heard.")
        try await note(repeatMARAC, "2014-07-08", "Over the last 12 months (Apr '13 - Mar '14) there have been 1,229 MARAC cases with 283 repeat cases (23%), a 15.3% increase in cases heard.")
        try await note(drugs, "2013-10-17", "Successful completions for both drug and alcohol clients are below past performance: decreases of 7 and 11% from quarter 4 of the previous financial year to quarter 1.")
        try await note(drugs, "2014-07-08", "This information is part of a national data set available to practitioners for management, quality assurance and briefing purposes; it is not intended for publication.", isNote: true)
        try await note(theft, "2013-10-17", "Due to Home Office changes to some crime sub-categories, the baseline for theft and handling has been amended.", isNote: true)
        try await note(theft, "2013-10-17", "Kent (exc. Medway) experienced large reductions in theft and handling during the last 12 months (1,119 fewer victims).")
        try await note(theft, "2014-07-08", "Theft and handling rose 4.2% in 2013/14, primarily due to shoplifting (44% of the total). Compared to the 2010/11 baseline it shows a 3.4% reduction.")
        try await note(burglary, "2013-10-17", "July 2012 to June 2013 shows increases in domestic burglary in all districts; the Force responded with force wide operations from March to December 2013.")
        try await note(burglary, "2014-07-08", "Domestic burglary rose 0.5% in 2013/14; volumes have reduced since November when the Force implemented burglary dwelling operations.")
        try await note(violence, "2013-10-17", "Due to Home Office changes to some crime sub-categories, the baselines have been amended.", isNote: true)
        try await note(violence, "2013-10-17", "The Force experienced a rise in violent crime towards the end of the last financial year, continuing into 2013/14.")
        try await note(violence, "2014-07-08", "The increase in 2013/14 corresponds to an improvement to the crime reporting process following the HMIC inspection on crime recording.")
        try await note(ksi, "2013-10-17", "KSI casualties had a downward trend between 1994 and 2011; there has been a slight rise of 14 casualties (2.7%) over the past 12 months.")
        try await note(ksi, "2014-07-08", "2013 recorded 13% more KSI casualties than 2012, and January to March 2014 shows an increase of 28% on the same period in 2013.")
        try await note(ksi, "2014-07-08", "All 2014 data is unvalidated and therefore subject to change: final figures will be released in April 2015.", isNote: true)
    }

    // MARK: 2014–17

    static func load2014(_ store: StrategyStore, csps: [Int64], audit: AuditContext) async throws {
        let agreement = try await store.createAgreement(title: "Kent Community Safety Agreement 2014-17", startsOn: day("2014-04-01"),
                                                        endsOn: day("2017-03-31"), audit: audit)
        let version = try await store.addVersion(agreementId: agreement, number: "1.0", effectiveOn: day("2014-04-01"), status: .approved,
                                                 changes: [VersionChange(section: "Agreement", text: "Approved by the KCSP on 8 July 2014 (minute 67)")],
                                                 audit: audit)
        let leads: [(String, String)] = [
            ("Acquisitive Crime", "Head of Local Policing and Partnerships, Kent Police"),
            ("Anti-Social Behaviour", "Head of Community Safety and Emergency Planning, Kent County Council"),
            ("Domestic Abuse", "Chair of Kent & Medway Domestic Abuse Strategy Group"),
            ("Road Safety", "Director Operations, Kent Fire and Rescue Service"),
            ("Substance Misuse", "Head of Commissioned Services, Kent County Council"),
            ("Violent Crime", "Head of Local Policing and Partnerships, Kent Police"),
        ]
        var priorities: [String: Int64] = [:]
        for (name, role) in leads {
            priorities[name] = try await store.addTopic(Topic(id: 0, agreementId: agreement, kind: .priority, name: name, leadRole: role,
                                                              lineage: [LineageEvent(kind: .created, year: 2014)]), audit: audit)
        }
        var themes: [Int64] = []
        for name in ["Early intervention, prevention & education", "Supporting Victims, vulnerable households & individuals",
                     "Safeguarding children & young people", "Reducing re-offending"] {
            themes.append(try await store.addTopic(Topic(id: 0, agreementId: agreement, kind: .theme, name: name,
                                                         lineage: [LineageEvent(kind: .created, year: 2014)]), audit: audit))
        }
        for plan in ["Vision for Kent, 2012-2022", "Local Community Safety Partnership (CSP) Community Safety Plans", "Police and Crime Plan 2013-2017",
                     "Kent and Medway Domestic Abuse Strategy, 2013-2016", "Kent Alcohol Strategy 2014-2016", "KCC Framework for Community Safety 2012-2015",
                     "Anti-Social Behaviour Strategy and Minimum Standards of Service Delivery", "Kent Fire and Rescue Service Corporate Plan",
                     "Kent and Medway Strategic Plan for Reducing Reoffending 2012-2015", "Medway Strategic Assessment",
                     "Road Casualty Reduction Strategy for Kent 2014-2020"] {
            try await store.addListItem(agreementId: agreement, kind: .linkedPlan, text: plan, audit: audit)
        }
        for signatory in ["Kent Police", "Kent Fire and Rescue Service", "Kent County Council", "Local District/Borough Community Safety Partnerships",
                          "Local Clinical Commissioning Groups (CCGs)", "Kent, Surrey and Sussex Community Rehabilitation Company (from 1st June 2014)"] {
            try await store.addListItem(agreementId: agreement, kind: .signatory, text: signatory, audit: audit)
        }
        try await tally(store, versionId: version, csps: Array(csps.prefix(11)), counts: [
            ("Anti-social behaviour", 11), ("Domestic Abuse", 11), ("Substance misuse", 9), ("Road safety", 8), ("Acquisitive Crime", 7),
            ("Violent crime", 7), ("Reducing reoffending", 3), ("Youth issues", 2), ("Rural crime", 1), ("Vehicle crime", 1), ("Crime", 1),
            ("Public Engagement", 1),
        ], isAgreed: true, audit: audit)
        let aim = try await store.addAim(agreementId: agreement, priorityId: priorities["Anti-Social Behaviour"], number: 1,
                                         text: "Tackle anti-social behaviour and support repeat and vulnerable victims", audit: audit)
        try await store.addAction(aimId: aim, text: "Development of a community trigger and community remedy at district level with support from County partners",
                                  leadAgencyId: nil, timescale: nil, themeIds: [themes[1]], year: 2014, audit: audit)
        for area in ["Preventing violent extremism", "Hate crime", "E-safety", "Troubled families"] {
            try await store.addListItem(agreementId: agreement, kind: .futureArea, text: area, audit: audit)
        }
    }

    /// Spreads each issue's count over the CSPs in turn: the papers give counts, not which CSP chose what.
    static func tally(_ store: StrategyStore, versionId: Int64, csps: [Int64], counts: [(String, Int)], isAgreed: Bool,
                      audit: AuditContext) async throws {
        var next = 0
        for (issue, count) in counts {
            for offset in 0..<count {
                try await store.addAssessment(versionId: versionId, cspAreaId: csps[(next + offset) % csps.count], issue: issue,
                                              classification: .mainPriority, isAgreed: isAgreed, audit: audit)
            }
            next += 1
        }
    }

    // MARK: The rolling agreement from April 2017

    static func loadRolling(_ store: StrategyStore, csps: [Int64], audit: AuditContext) async throws {
        let agreement = try await store.createAgreement(title: "Kent Community Safety Agreement", startsOn: day("2017-04-01"), endsOn: nil, audit: audit)
        let history: [(String, String, [VersionChange])] = [
            ("1.0", "2017-04-01", [VersionChange(section: "Agreement", text: "New Kent Community Safety Agreement (CSA) – effective from April 2017")]),
            ("2.0", "2018-04-01", [VersionChange(section: "Ch.5", text: "achievements for 2017/18 added"),
                                   VersionChange(section: "Ch.6", text: "priorities/cross-cutting themes updated, including refreshed diagram"),
                                   VersionChange(section: "Appendix B", text: "MoRiLE outcomes refreshed")]),
            ("3.0", "2019-04-01", [VersionChange(section: "Ch.3", text: "updated legislation and addition of partnership changes and challenges"),
                                   VersionChange(section: "Ch.6", text: "minor changes acknowledging the 2019 review")]),
            ("4.0", "2020-04-01", [VersionChange(section: "Ch.6", text: "minor change to one priority"),
                                   VersionChange(section: "Appendix E", text: "Kent CSA Priorities and Cross Cutting Themes")]),
            ("5.0", "2021-04-01", [VersionChange(section: "Ch.4", text: "change to the named responsible authorities"),
                                   VersionChange(section: "Appendix E", text: "addition of a new cross-cutting theme")]),
            ("6.0", "2022-04-01", [VersionChange(section: "Ch.6", text: "changes made to priorities and cross-cutting themes, and diagram updated"),
                                   VersionChange(section: "Appendix D", text: "new Police and Crime Plan added")]),
            ("7.0", "2023-04-01", [VersionChange(section: "Foreword", text: "to be updated", toBeUpdated: true),
                                   VersionChange(section: "Ch.3", text: "changes made to the landscape, legislation and partnership challenges"),
                                   VersionChange(section: "Ch.4", text: "change to the named responsible authorities"),
                                   VersionChange(section: "Ch.5", text: "achievements for 2022/23 added"),
                                   VersionChange(section: "Appendix A", text: "to be updated", toBeUpdated: true),
                                   VersionChange(section: "Appendix B", text: "to be updated", toBeUpdated: true),
                                   VersionChange(section: "Appendix C", text: "refreshed horizon scanning")]),
        ]
        var latest: Int64 = 0
        for (number, effective, changes) in history {
            latest = try await store.addVersion(agreementId: agreement, number: number, effectiveOn: day(effective),
                                                status: number == "7.0" ? .draft : .published, changes: changes, audit: audit)
        }
        func topic(_ kind: TopicKind, _ name: String, lead: String? = nil, includes: [String] = [], pcp: [String] = [],
                   _ lineage: [LineageEvent]) async throws -> Int64 {
            try await store.addTopic(Topic(id: 0, agreementId: agreement, kind: kind, name: name, includes: includes, leadRole: lead,
                                           policeAndCrimePlanLinks: pcp, lineage: lineage), audit: audit)
        }
        let created2017 = [LineageEvent(kind: .created, year: 2017)]
        _ = try await topic(.priority, "Domestic Abuse",
                            lead: "Chief Superintendent (Domestic Abuse), Kent Police / Chair of Domestic Abuse and Sexual Violence Executive Group",
                            pcp: ["Violence against women and girls"], created2017)
        _ = try await topic(.priority, "Safeguarding Vulnerable People",
                            includes: ["Child Sexual Exploitation", "Fraud", "Cybercrime", "Victims", "Vulnerable People at Risk of Exploitation"],
                            pcp: ["Exploitation and abuse", "Protecting young people"], created2017)
        let soc = try await topic(.priority, "Serious and Organised Crime", lead: "Head of Crime Command, Kent Police", created2017)
        let svoc = try await topic(.priority, "Serious Violence and Organised Crime", lead: "Director of Violence Reduction Unit (VRU) / Head of Crime Command, Kent Police",
                                   includes: ["Organised Crime Groups (OCGs)", "Gangs", "Modern Slavery / Human Trafficking", "Violence Reduction",
                                              "Serious Violence Duty", "County Lines and Drug Dealing"],
                                   pcp: ["Organised crime and county lines"],
                                   [LineageEvent(kind: .expanded, year: 2020, relatedTopicIds: [soc],
                                                 note: "to reflect new proposed duties around Serious Violence and the Violence Reduction Unit")])
        try await store.addLineage(topicId: soc, LineageEvent(kind: .retired, year: 2020, relatedTopicIds: [svoc]), audit: audit)
        _ = try await topic(.priority, "Preventing Extremism and Hate", lead: "Assistant Director CONTEST and Serious Organised Crime (SOC)",
                            includes: ["Preventing Violent Extremism", "Hate Crimes", "Radicalisation", "Terrorism", "Counter-Terrorism"],
                            [LineageEvent(kind: .created, year: 2018, note: "previously part of Safeguarding Vulnerable People")])
        let asb = try await topic(.priority, "Anti-Social Behaviour", lead: "Superintendent of Strategic Partnerships, Kent Police", created2017)
        let neighbourhood = try await topic(.priority, "Preventing Neighbourhood Crime & ASB", lead: "Superintendent of Strategic Partnerships, Kent Police",
                                            includes: ["Anti-Social Behaviour", "Neighbour Disputes", "Environmental Crime", "Deliberate Fires", "Criminal Damage"],
                                            pcp: ["Antisocial behaviour", "Communities"], [LineageEvent(kind: .expanded, year: 2022, relatedTopicIds: [asb])])
        try await store.addLineage(topicId: asb, LineageEvent(kind: .retired, year: 2022, relatedTopicIds: [neighbourhood]), audit: audit)
        _ = try await topic(.priority, "Violence Against Women & Girls (VAWG)", lead: "Chief Superintendent (Violence Against Women & Girls), Kent Police",
                            pcp: ["Violence against women and girls"], [LineageEvent(kind: .created, year: 2022)])
        _ = try await topic(.priority, "Substance Misuse", lead: "Consultant in Public Health, Kent County Council", created2017)
        _ = try await topic(.priority, "Road Safety", pcp: ["Road safety"], created2017)
        for name in ["Early intervention, prevention & education", "Reduce re-offending and support victims",
                     "Improve quality of life and enhance community resilience"] {
            _ = try await topic(.theme, name, created2017)
        }
        _ = try await topic(.theme, "Support mental health and wellbeing", [LineageEvent(kind: .created, year: 2018)])
        let covid = try await topic(.theme, "Response and Recovery from the COVID-19 pandemic", [LineageEvent(kind: .created, year: 2021)])
        let events = try await topic(.theme, "Response and Recovery from Significant Community Events", includes: ["COVID-19 pandemic"],
                                     [LineageEvent(kind: .renamed, year: 2022, relatedTopicIds: [covid])])
        try await store.addLineage(topicId: covid, LineageEvent(kind: .retired, year: 2022, relatedTopicIds: [events]), audit: audit)
        for plan in ["Making Kent Safer 2022-2025 (Kent Police and Crime Plan)", "Local Community Safety Partnership (CSP) Community Safety Plans",
                     "Kent and Medway Domestic Abuse Strategy", "Kent and Medway Gangs Strategy", "Kent Drug and Alcohol Strategy",
                     "Kent County Council's Strategy: Framing Kent's Future 2022-2026", "Kent Fire and Rescue Service Customer Safety Plan 2021-2031",
                     "Kent Criminal Justice Board Strategic Plan", "Kent and Medway Strategic Plan for Reducing Reoffending", "Medway Community Safety Plan",
                     "Vision Zero – Road Safety Strategy for Kent", "Kent and Medway Safeguarding Adults Board Strategic Plan",
                     "Prevent Duty Delivery Board Action Plan", "Counter Terrorism Local Profile", "Counter Terrorism Situational Risk Assessment",
                     "Prevent Community Engagement Plan", "Kent Joint Health and Wellbeing Strategy", "Kent and Medway Interim Integrated Care Strategy"] {
            try await store.addListItem(agreementId: agreement, kind: .linkedPlan, text: plan, audit: audit)
        }
        for authority in ["Kent Police", "Kent Fire and Rescue Service (KFRS)", "Kent County Council", "Local District/Borough Authorities",
                          "NHS Kent and Medway Integrated Care Board", "Probation Service", "Local District/Borough Community Safety Partnerships"] {
            try await store.addListItem(agreementId: agreement, kind: .responsibleAuthority, text: authority, audit: audit)
        }
        try await tally(store, versionId: latest, csps: Array(csps.prefix(7)), counts: [
            ("Domestic Abuse", 7), ("ASB / Environmental", 7), ("Tackling Violence", 7), ("Violence Against Women and Girls (VAWG)", 5),
            ("Safeguarding and Vulnerability", 5), ("Reducing Offending and Reoffending", 5), ("Substance Misuse", 4), ("Serious and Organised Crime", 4),
            ("Extremism & Hate", 4), ("Strengthening Communities", 4), ("Mental Health and Wellbeing", 2), ("Crime", 2), ("Road Safety", 2),
        ], isAgreed: false, audit: audit)
        let horizon: [(PESTELOCategory, [String])] = [
            (.political, ["Local Council elections in May 2023", "War in Ukraine", "Impact of trade and travel rules following EU exit",
                          "Review of Community Safety Partnerships (CSPs)"]),
            (.economic, ["Cost of living increases", "Fuel Poverty", "Funding pressure on public services", "Financial pressures on businesses and individuals",
                         "Increased need for financial and other types of support, i.e. food banks", "Strike action across many sectors",
                         "Predicted increases in unemployment"]),
            (.social, ["Violence against women and girls", "Domestic abuse", "Preventing violent extremism", "Child sexual exploitation",
                       "Human trafficking/modern slavery", "Mental health (including dementia)", "Social isolation / loneliness"]),
            (.technological, ["Cyber-crime and cyber-enabled crime", "Online safety"]),
        ]
        for (category, items) in horizon {
            for text in items { try await store.addHorizon(versionId: latest, HorizonItem(category: category, text: text), audit: audit) }
        }
    }
}
