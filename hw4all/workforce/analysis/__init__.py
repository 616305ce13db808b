"""The figures the platform states, each computed by one typed function of a `DataSet`. Pages,
charts, the PDF briefing, the command line and the API all call these, so they show the same
numbers. No view does arithmetic."""
